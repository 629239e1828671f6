/// Problems with the history store. Every message names the store's path.
public enum HistoryError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case inUse(path: String, waitedSeconds: Int)
    case database(path: String, reason: String)
    case badStoredValue(path: String, column: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the history store: \(reason)"
        case .inUse(let path, let waited):
            return "\(path): the history store is in use by another pumpaudit run; waited \(waited) s. "
                + "Run again when it has finished, or use --no-history."
        case .badStoredValue(let path, let column):
            return "\(path): a stored line has a value of the wrong type in column \(column); the store is damaged "
                + "or was written by another program. Move it aside to start a new history, or run with --no-history."
        case .database(let path, let reason):
            return "\(path): history store error: \(reason)"
        }
    }
}
