/// The setting an NCCI table is written for. CMS publishes the PTP and MUE tables
/// twice: once for practitioners' (professional) claims, once for hospital
/// outpatient (institutional) claims, with different pairs and values.
public enum ReferenceSetting: Sendable, Hashable, CaseIterable {
    /// Professional claims (CMS-1500 / 837P).
    case practitioner
    /// Institutional claims (UB-04 / 837I): the outpatient hospital tables.
    case outpatientHospital

    /// The setting whose tables edit lines of `claimType`.
    public init(_ claimType: ClaimType) {
        switch claimType {
        case .professional: self = .practitioner
        case .institutional: self = .outpatientHospital
        }
    }

    /// "practitioner", "outpatient hospital".
    public var name: String {
        switch self {
        case .practitioner: return "practitioner"
        case .outpatientHospital: return "outpatient hospital"
        }
    }
}
