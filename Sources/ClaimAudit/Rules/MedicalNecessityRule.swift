import ClaimModel

/// A pump service whose claim carries no diagnosis, or none that supports it.
///
/// The diagnoses are what a claim gives as the reason for a service. A claim without
/// any is returned unprocessable; one whose diagnoses name nothing an implanted pump
/// treats is the "missing medical necessity" that billing guides rank first among
/// denials after unbundling. Which diagnoses support a pump is not a CMS list: the
/// default is pumpaudit's, drawn from the indications of the Medicare NCD for
/// infusion pumps, and a payer may have its own.
public struct MedicalNecessityRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// ICD-10-CM codes or prefixes, without the dot: G89 covers G89.0-G89.4.
        @Setting(
            "supporting_diagnoses", .set(of: .diagnosis),
            "ICD-10-CM codes or prefixes (dot optional) that support a pump service", perPayer: true)
        public var supportingDiagnoses: Set<String> = [
            // Pain: chronic pain syndrome, neoplasm-related pain, CRPS, post-laminectomy
            // syndrome, spinal pain and spondylosis, nerve root and nerve disorders.
            "G89", "G905", "M961", "M54", "M47", "M48", "G54", "G55", "G56", "G57", "G58",
            // Spasticity: cerebral palsy, multiple sclerosis, paralytic syndromes, dystonia,
            // hereditary spastic paraplegia, spinal cord disease, sequelae of stroke,
            // spinal cord injury and its sequelae.
            "G80", "G35", "G82", "G83", "G24", "G114", "G95", "I69", "S141", "S241", "S341", "T913",
            // Neoplasms, C00-D49: every C code, and D00-D49.
            "C", "D0", "D1", "D2", "D3", "D4",
            // The device itself: its complications, and the encounter to manage the pump.
            "T856", "T858", "Z451",
        ]

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "medical_necessity",
        name: "Pump service without a supporting diagnosis",
        severity: .error,
        rationale: """
            Every claim gives its diagnoses as the reason for its services (CMS-1500 item 21, \
            UB-04 form locators 67 and 67A-Q); Medicare returns a claim without one as \
            unprocessable. For each pump service line (62367-62370, 95990, 95991) the rule \
            reads the line's own diagnosis columns, else those of any line of the same claim \
            (many exports carry the claim's diagnoses on one line only). Codes are compared \
            upper-case without the dot, and a list entry is a prefix. An error: the export \
            has diagnosis columns but neither the line nor its claim carries a diagnosis. A \
            warning: none of the diagnoses is on the supporting list. That list is a \
            pumpaudit default, not a CMS list: pain (G89, G90.5, M96.1, M47, M48, M54, \
            G54-G58), spasticity (G80, G35, G82, G83, G24, G11.4, G95, I69, S14.1, S24.1, \
            S34.1, T91.3), neoplasms (C00-D49), complications of the device (T85.6, T85.8) \
            and the management of an infusion pump (Z45.1), after the indications that the \
            Medicare NCD for infusion pumps (280.14) covers: intractable cancer and \
            non-cancer pain, severe spasticity, and chemotherapy. A payer may have its own \
            list. A file without diagnosis columns is named in the summary and its lines \
            are not checked.
            """,
        citation:
            "Medicare Claims Processing Manual (Pub. 100-04) ch. 26, item 21 and ch. 25, FL 67 (a diagnosis on every "
            + "claim); NCD 280.14 Infusion Pumps (indications); pumpaudit default for the supporting list",
        inputNotes: [
            InputNote(
                field: "diagnosis_code_1",
                whenMissing: "has no diagnosis column: medical_necessity checks none of its pump services.")
        ],
        triggeringExamples: [
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,J45.909,
                C2,1,P2,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,G89.4,
                ↓C3,1,P3,2026-10-05,95991,,1,11,,1111111112,1111111112,MD,deep pump,95.00,E11.9,Z79.4
                """, severity: .warning, header: Self.header),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62367,,1,11,,1111111112,1111111112,MD,,70.00,,
                ↓F1,1,P2,2026-10-05,62369,,1,,131,,1444444446,,,300.00,,
                F1,2,P2,2026-10-05,J0475,,2,,131,,1444444446,,,80.00,,
                """, severity: .error, header: Self.header),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,g89.29,
                C2,1,P2,2026-10-05,99213,,1,11,,1111111112,1111111112,MD,,90.00,,
                C2,2,P2,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00,,
                C2,3,P2,2026-10-05,J0475,,1,11,,1111111112,1111111112,MD,,80.00,G80.1,
                C3,1,P3,2026-10-06,62370,,1,11,,1111111112,1111111112,MD,deep pump,150.00,Z45.1,
                C4,1,P4,2026-10-06,62368,,1,11,,1111111112,1111111112,MD,,80.00,R52,C79.51
                C5,1,P5,2026-10-06,99214,,1,11,,1111111112,1111111112,MD,,110.00,,
                """, header: Self.header),
            // An export without diagnosis columns: the summary names it, no line is flagged.
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                """),
        ]
    )

    /// The examples' columns: the standard ones and two diagnoses.
    private static let header = RuleExample.standardHeader + ",diagnosis_code_1,diagnosis_code_2"

    private let settings: PayerSettings<Settings>

    public init(configuration: AuditConfiguration) {
        settings = configuration.payerSettings(of: Self.self)
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for patient in context.patients {
            // The claim's diagnoses, for lines that carry none of their own; gathered only
            // for a patient with such a line.
            var byClaim: [String: [String]] = [:]
            if patient.lines.contains(where: {
                $0.family.isPumpService && !$0.fromHistory && $0.diagnosisCodes?.isEmpty == true
            }) {
                for line in patient.lines {
                    if let codes = line.diagnosisCodes, !codes.isEmpty { byClaim[line.claimID, default: []] += codes }
                }
            }
            for line in patient.lines where line.family.isPumpService && !line.fromHistory {
                // nil: the export has no diagnosis column, so the line says nothing either way.
                guard let own = line.diagnosisCodes else { continue }
                let codes = own.isEmpty ? byClaim[line.claimID] ?? [] : own
                guard !codes.isEmpty else {
                    findings.append(Finding(Self.self, .error, on: line, .noDiagnosis(line)))
                    continue
                }
                let supporting = settings[line.payer].supportingDiagnoses
                if !codes.contains(where: { Self.isSupported($0, by: supporting) }) {
                    findings.append(Finding(Self.self, .warning, on: line, .noSupportingDiagnosis(line, codes)))
                }
            }
        }
        return findings
    }

    /// Whether a code, compared without its dot, starts with an entry of the list.
    static func isSupported(_ code: String, by list: Set<String>) -> Bool {
        // Codes are short ASCII: upper-cased and stripped of the dot byte by byte.
        let bare =
            code.utf8.allSatisfy({ $0 < 0x80 })
            ? String(
                decoding: code.utf8.lazy.filter { $0 != UInt8(ascii: ".") }.map {
                    $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0
                }, as: UTF8.self)
            : String(code.uppercased().filter { $0 != "." })
        guard !bare.isEmpty else { return false }
        return (1...bare.count).contains { list.contains(String(bare.prefix($0))) }
    }
}

extension SettingFormat where Value == String {
    /// An ICD-10-CM code or prefix, upper-case and without its dot: "g89.4" is G894.
    fileprivate static var diagnosis: Self {
        Self(
            read: { input in
                let text = try input.text()
                let bare = String(text.uppercased().filter { $0 != "." })
                guard let first = bare.first, first.isLetter,
                    bare.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
                else { throw input.problem("'\(text)' is not an ICD-10-CM code or prefix") }
                return bare
            }, write: { $0 })
    }
}

extension Finding.Message {
    fileprivate static func noDiagnosis(_ line: ClaimLine) -> Self {
        Self(
            "\(line.code) carries no diagnosis, and no line of claim \(line.claimID) does: the export has diagnosis "
                + "columns, so the claim gives no reason for the service (a claim without a diagnosis is returned "
                + "unprocessable)")
    }

    fileprivate static func noSupportingDiagnosis(_ line: ClaimLine, _ codes: [String]) -> Self {
        Self(
            "none of the diagnoses of \(line.code) (\(codes.joined(separator: ", "))) is one that supports an "
                + "implanted pump (pain, spasticity, neoplasm, the device): review the medical necessity "
                + "(supporting_diagnoses, a pumpaudit default)")
    }
}
