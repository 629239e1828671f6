import ClaimAudit
import ClaimModel
import Foundation

/// A reviewed finding that should no longer count: by claim (and line), or every
/// finding of a rule for one patient.
public struct Suppression: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// A claim; every line of it when `line` is nil.
        case claim(id: String, line: Int?)
        case patient(String)
        /// Every finding of the rule about a provider (NPI), on no line.
        case provider(String)
    }

    public var rule: String
    public var target: Target
    public var reason: String
    public var reviewer: String
    /// The last day it applies, by the local calendar; from the next day on it is
    /// reported as expired.
    public var expires: ServiceDate?
    /// Where it is written ("suppressions.yml:12").
    public var source: String

    public init(rule: String, target: Target, reason: String, reviewer: String, expires: ServiceDate?, source: String) {
        self.rule = rule
        self.target = target
        self.reason = reason
        self.reviewer = reviewer
        self.expires = expires
        self.source = source
    }

    public var note: SuppressionNote {
        SuppressionNote(reason: reason, reviewer: reviewer, expires: expires?.description)
    }

    var targetDescription: String {
        switch target {
        case .claim(let id, let line): return "claim \(id)\(line.map { " line \($0)" } ?? "")"
        case .patient: return "a patient"
        case .provider(let npi): return "provider \(npi)"
        }
    }
}

/// The suppressions of a run, split into those in force and those expired.
public struct SuppressionList: Sendable {
    public let active: [Suppression]
    public let expired: [Suppression]

    public init(_ suppressions: [Suppression] = [], today: ServiceDate) {
        active = suppressions.filter { ($0.expires ?? today) >= today }
        expired = suppressions.filter { ($0.expires ?? today) < today }
    }

    /// The suppressions in force at `now` where the audit runs. Expiry dates are
    /// read in local time (`TZ`), not UTC: the reviewer who wrote
    /// `expires: 2027-01-31` in New York means the end of that day in New York.
    public init(_ suppressions: [Suppression] = [], now: Date = Date(), timeZone: TimeZone = .current) {
        self.init(suppressions, today: Self.day(of: now, in: timeZone))
    }

    /// The calendar day that `instant` falls on in `timeZone`.
    public static func day(of instant: Date, in timeZone: TimeZone) -> ServiceDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return ServiceDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The suppression in force for `finding`, if any. A patient target matches the
    /// patient's id or its pseudonym, since auditors may copy either from a report.
    public func match(_ finding: Finding, pseudonym: String? = nil) -> Suppression? {
        active.first { suppression in
            guard suppression.rule == finding.ruleID else { return false }
            switch suppression.target {
            case .claim(let id, let line):
                guard let found = finding.line else { return false }
                return id == found.claimID && (line == nil || line == found.lineNumber)
            case .patient(let patient):
                guard let found = finding.line else { return false }
                return patient == found.patientID || patient == pseudonym
            case .provider(let npi):
                return finding.line == nil && npi == finding.provider?.npi
            }
        }
    }

    /// One line per expired suppression, for the summary. Patients are not named.
    public var expiredDescriptions: [String] {
        expired.map {
            "\($0.rule) for \($0.targetDescription) (\($0.source), reviewer \($0.reviewer)) expired on \($0.expires!)"
        }
    }
}
