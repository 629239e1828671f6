/// Every code pumpaudit knows by name, one row a code, each block with its source.
///
/// Whatever asks which codes are pump services, which of them include a refill, which
/// drugs go into a pump or which codes are E/M visits reads this table: the byte
/// classifier `CodeFamily(asciiCode:)` (checked against it by `CodeTableTests`), the
/// rules and their settings' defaults. A new pump drug is one more row.
public enum CodeTable {
    /// One code: its family, what it says about the service, and its descriptor.
    public struct Entry: Sendable {
        public let code: String
        public let family: CodeFamily
        public let roles: Roles
        /// The descriptor, short form, as its source words it.
        public let descriptor: String

        init(_ code: String, _ family: CodeFamily, _ roles: Roles, _ descriptor: String) {
            self.code = code
            self.family = family
            self.roles = roles
            self.descriptor = descriptor
        }

        init(_ code: String, _ family: CodeFamily, _ descriptor: String) {
            self.init(code, family, [], descriptor)
        }
    }

    /// What a code tells a rule beyond its family.
    public struct Roles: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The service includes refilling the pump: the refill-interval clock restarts.
        public static let includesRefill = Roles(rawValue: 1)
        /// The descriptor requires the skill of a physician or other QHP.
        public static let physicianSkill = Roles(rawValue: 2)
        /// Implantation or replacement of the pump or its reservoir.
        public static let implant = Roles(rawValue: 4)
        /// Paid only "incident to" a physician's service (PC/TC indicator 5).
        public static let incidentTo = Roles(rawValue: 8)
    }

    /// CPT descriptors (short forms; see the domain brief). 62369 and 62370 differ only in
    /// who performs them; 95990 and 95991 refill without reprogramming. Incident to: the
    /// Medicare Physician Fee Schedule's PC/TC indicator 5.
    static let pumpServices: [Entry] = [
        Entry(
            "62367", .pumpAnalysis,
            "Electronic analysis of programmable, implanted pump for intrathecal or epidural drug infusion; "
                + "without reprogramming or refill"),
        Entry("62368", .pumpAnalysis, "... with reprogramming"),
        Entry("62369", .pumpAnalysis, [.includesRefill], "... with reprogramming and refill"),
        Entry(
            "62370", .pumpAnalysis, [.includesRefill, .physicianSkill],
            "... with reprogramming and refill (requiring skill of a physician or other qualified health care "
                + "professional)"),
        Entry(
            "95990", .pumpRefill, [.includesRefill, .incidentTo],
            "Refilling and maintenance of implantable pump or reservoir for drug delivery, spinal or brain, "
                + "includes electronic analysis of pump, when performed"),
        Entry(
            "95991", .pumpRefill, [.includesRefill, .physicianSkill],
            "... requiring skill of a physician or other qualified health care professional"),
    ]

    /// HCPCS Level II drug codes (CMS HCPCS file) of what is filled into the pump, with the
    /// not-otherwise-classified codes used for compounded fills.
    static let pumpDrugs: [Entry] = [
        Entry("J0475", .pumpDrug, "baclofen 10 mg"),
        Entry("J0476", .pumpDrug, "baclofen 50 mcg (intrathecal trial)"),
        Entry("J2278", .pumpDrug, "ziconotide 1 mcg"),
        Entry("J2274", .pumpDrug, "morphine, preservative-free, 10 mg"),
        Entry("J1170", .pumpDrug, "hydromorphone, up to 4 mg"),
        Entry("J0735", .pumpDrug, "clonidine 1 mg"),
        Entry("J7799", .pumpDrug, "NOC drug, other than inhalation, through DME"),
        Entry("J7999", .pumpDrug, "compounded drug, not otherwise classified"),
    ]

    /// CPT office or other outpatient E/M visits: new patients 99202-99205, established
    /// 99211-99215 (99201 was deleted in 2021).
    static let evaluationAndManagement: [Entry] =
        (99202...99205).map {
            Entry(String($0), .evaluationAndManagement, "office or other outpatient visit, new patient")
        }
        + (99211...99215).map {
            Entry(String($0), .evaluationAndManagement, "office or other outpatient visit, established patient")
        }

    /// Codes no family names that rules still speak of (CPT descriptors; PC/TC indicator
    /// from the Medicare Physician Fee Schedule).
    static let relatedServices: [Entry] = [
        Entry(
            "62360", .other, [.implant],
            "Implantation or replacement of device for intrathecal or epidural drug "
                + "infusion; subcutaneous reservoir"),
        Entry("62361", .other, [.implant], "... nonprogrammable pump"),
        Entry(
            "62362", .other, [.implant],
            "... programmable pump, including preparation of pump, with or without "
                + "programming"),
        Entry(
            "96522", .other, [.incidentTo],
            "Refilling and maintenance of implantable pump or reservoir for drug "
                + "delivery, systemic (eg, intravenous, intra-arterial)"),
    ]

    /// Every row.
    public static let all: [Entry] = pumpServices + pumpDrugs + evaluationAndManagement + relatedServices

    private static let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// The row of an upper-case code, if the table has one.
    public static func entry(for code: String) -> Entry? { byCode[code] }

    /// The codes of a family, in table order.
    public static func codes(of family: CodeFamily) -> [String] {
        all.filter { $0.family == family }.map(\.code)
    }

    /// The codes that have every one of `roles`.
    public static func codes(with roles: Roles) -> Set<String> {
        Set(all.filter { $0.roles.isSuperset(of: roles) }.map(\.code))
    }

    /// The six pump services, analyses then refills.
    public static let pumpServiceCodes = codes(of: .pumpAnalysis) + codes(of: .pumpRefill)

    /// The pump analyses that include no refill (62367, 62368).
    public static let analysesWithoutRefill = Set(codes(of: .pumpAnalysis)).subtracting(codes(with: .includesRefill))
}
