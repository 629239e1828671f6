/// A section a rule adds to the reports: a title, a note, and the figure it explains.
public struct RuleSection: Sendable, Equatable {
    /// Names the section in the page (`id`), stable across runs.
    public var id: String
    public var title: String
    /// Words of the rule's own, never from the input: reporters put them in as they are.
    /// Numbers are kept apart so that each report writes them its own way.
    public var note: [NotePart]
    public var metric: RuleMetric?

    public init(id: String, title: String, note: [NotePart], metric: RuleMetric?) {
        self.id = id
        self.title = title
        self.note = note
        self.metric = metric
    }

    public enum NotePart: Sendable, Equatable {
        case text(String)
        /// A count, which a report may group by thousands.
        case count(Int)
    }

    /// The note as one text, each count written by `count`.
    public func noteText(count: (Int) -> String) -> String {
        note.map { part in
            switch part {
            case .text(let text): return text
            case .count(let number): return count(number)
            }
        }.joined()
    }
}
