import ClaimAudit

/// A run's findings in report order (`Finding.reportOrder`), suppressed ones included,
/// to be walked as many times as there are reports that list them all.
///
/// The findings may be in memory or anywhere else (files of one partition each, read
/// back through a merge): a source only promises to visit them all, in report order,
/// each time `forEach` is called. A visit that fails throws, and the report being
/// written fails with it.
public struct FindingSource: Sendable {
    /// How many findings a visit gives.
    public let count: Int
    private let visit: @Sendable (_ body: (ReportedFinding) throws -> Void) throws -> Void

    /// Findings held in memory, put into report order unless they already are.
    public init(_ findings: [ReportedFinding]) {
        self.init(inReportOrder: Self.inReportOrder(findings))
    }

    /// Findings held in memory that are in report order already.
    init(inReportOrder findings: [ReportedFinding]) {
        count = findings.count
        visit = { body in
            for entry in findings { try body(entry) }
        }
    }

    /// `findings` in report order.
    static func inReportOrder(_ findings: [ReportedFinding]) -> [ReportedFinding] {
        // The engine returns findings in report order; sorting again would copy them all.
        let order = { (a: ReportedFinding, b: ReportedFinding) in Finding.reportOrder(a.finding, b.finding) }
        return findings.isSorted(by: order) ? findings : findings.sorted(by: order)
    }

    /// Findings kept elsewhere: each call of `visit` must give `body` all `count`
    /// findings again, in report order, and throw what stops it from doing so.
    public init(count: Int, visit: @escaping @Sendable (_ body: (ReportedFinding) throws -> Void) throws -> Void) {
        self.count = count
        self.visit = visit
    }

    /// No findings.
    public static let empty = FindingSource([])

    public var isEmpty: Bool { count == 0 }

    /// Gives `body` every finding, in report order. Throws what the source or `body` throws.
    public func forEach(_ body: (ReportedFinding) throws -> Void) throws {
        try visit(body)
    }
}
