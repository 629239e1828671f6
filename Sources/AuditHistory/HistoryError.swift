/// Problems with the history store. Every message names the store's path.
public enum HistoryError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case inUse(path: String, waitedSeconds: Int)
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the history store: \(reason)"
        case .inUse(let path, let waited):
            return "\(path): the history store is in use by another pumpaudit run; waited \(waited) s. "
                + "Run again when it has finished, or use --no-history."
        case .database(let path, let reason):
            return "\(path): history store error: \(reason)"
        }
    }
}
