import ClaimModel

/// 62370 and 95991 pay for the skill of a physician or other qualified health care
/// professional: the line must carry a real reason for it, and be rendered by one.
public struct MissingComplexityJustificationRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// Notes that say nothing, compared after `normalizedNote` (so "N/A." and " n/a " match "N/A").
        @Setting(
            "placeholders", .set(of: .text),
            "notes that name no reason (case, spaces and trailing punctuation ignored)")
        public var placeholders: Set<String> = [
            "N/A", "NA", "none", "-", ".", "see note", "see chart", "complex", "per protocol", "as above",
        ]
        /// A note with fewer letters than this cannot name a reason.
        @Setting("minimum_letters", .wholeNumber(in: 0...500), "the fewest letters a note needs to name a reason")
        public var minimumLetters = 12
        /// Credentials of a physician or QHP, compared after `normalizedCredential`.
        @Setting(
            "qualified_credentials", .set(of: .code),
            "rendering credentials of a physician or QHP (upper-case, letters and digits only)")
        public var qualifiedCredentials: Set<String> = [
            "MD", "DO", "MBBS", "PHYSICIAN", "NP", "FNP", "FNPC", "DNP", "APRN", "APNP", "NURSEPRACTITIONER", "CNS",
            "CLINICALNURSESPECIALIST", "PA", "PAC", "PHYSICIANASSISTANT", "CRNA",
        ]
        /// Credentials of staff who are neither, compared after `normalizedCredential`.
        @Setting(
            "unqualified_credentials", .set(of: .code),
            "rendering credentials that cannot support physician/QHP skill")
        public var unqualifiedCredentials: Set<String> = [
            "RN", "BSN", "NURSE", "REGISTEREDNURSE", "LPN", "LICENSEDPRACTICALNURSE", "LVN",
            "LICENSEDVOCATIONALNURSE", "MA", "CMA", "RMA", "MEDICALASSISTANT", "CNA", "TECH", "TECHNICIAN",
        ]

        public init() {}
    }

    /// The codes whose descriptors require physician/QHP skill (CPT).
    static let codes = CodeTable.codes(with: .physicianSkill)

    public static let description = RuleDescription(
        identifier: "missing_complexity_justification",
        name: "Physician/QHP skill not supported",
        severity: .error,
        rationale: """
            62370 and 95991 are the analysis and refill codes "requiring skill of a physician \
            or other qualified health care professional" (CPT); 62369 and 95990 are not, so \
            they never trip this rule. No payer defines that skill, so the line must name why \
            it was needed (imaging-guided access, a deep or flipped pump, a volume discrepancy, \
            a high-risk drug...). A professional 62370 or 95991 line is an error when the \
            export has no justification column, when its note is empty, a placeholder \
            ("N/A", "see note", "complex"...) or shorter than the minimum number of letters, \
            or when its rendering credential is one of staff who are not physicians or QHPs \
            (RN, LPN, LVN, MA, CMA, technician), whatever the note says. Credentials are \
            compared upper-case with everything but letters and digits removed ("M.D." is \
            MD, "PA-C" is PAC), and a list such as "RN, NP" counts as its best part. MD, DO, \
            NP, APRN, CNS, PA and CRNA (an APRN who bills on their own) count as QHPs. A \
            credential in neither list, or none at all, decides nothing: the note alone does.
            """,
        citation: "CPT descriptors of 62370 and 95991 (physician/QHP skill); pumpaudit default for what supports it",
        inputNotes: [
            InputNote(
                field: "complexity_justification",
                whenMissing: "has no justification column: every professional 62370 and 95991 line in it is "
                    + "reported by missing_complexity_justification.")
        ],
        triggeringExamples: [
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62370,,1,11,,1111111112,1111111112,MD,,150.00
                ↓C2,1,P2,2026-10-05,95991,,1,11,,1111111112,1111111112,DO,N/A,95.00
                ↓C3,1,P3,2026-10-05,62370,,1,11,,1111111112,1111111112,PA-C,Complex.,150.00
                ↓C4,1,P4,2026-10-05,95991,,1,11,,1111111112,1111111112,NP,refill ok,95.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,95991,,1,11,,1111111112,1111111112,R.N.,ultrasound-guided access to a deep pump,95.00
                ↓C2,1,P2,2026-10-05,62370,,1,11,,1111111112,1111111112,Medical Assistant,fluoroscopy-guided access,150.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62370,,1,11,,1111111112,1111111112,MD,150.00
                C2,1,P2,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,120.00
                """, severity: .error,
                header: "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,modifiers,"
                    + "service_unit_quantity,place_of_service_code,bill_type_code,rendering_npi,billing_npi,"
                    + "rendering_credential,paid_amount"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62370,,1,11,,1111111112,1111111112,M.D.,"Ultrasound-guided access, deep pocket, BMI 41",150.00
                C2,1,P2,2026-10-05,95991,,1,11,,1111111112,1111111112,,volume discrepancy of 2 mL at refill,95.00
                C3,1,P3,2026-10-05,95991,,1,11,,1111111112,1111111112,Pharm.D.,first refill after revision,95.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,RN,,120.00
                C2,1,P2,2026-10-05,95990,,1,11,,1111111112,1111111112,LPN,N/A,80.00
                F1,1,P3,2026-10-05,62370,,1,,131,,1444444446,,,300.00
                """),
        ]
    )

    private let settings: Settings
    private let placeholders: Set<String>
    /// The most letters any placeholder has: an ASCII note with more is none of them.
    private let placeholderLetters: Int
    private let qualified: Set<String>
    private let unqualified: Set<String>

    public init(configuration: AuditConfiguration) {
        settings = configuration[settingsOf: Self.self]
        placeholders = Set(settings.placeholders.map(Self.normalizedNote))
        placeholderLetters = placeholders.map { $0.filter(\.isLetter).count }.max() ?? 0
        qualified = Set(settings.qualifiedCredentials.map(Self.normalizedCredential))
        unqualified = Set(settings.unqualifiedCredentials.map(Self.normalizedCredential))
    }

    /// Why a note does not support physician/QHP skill.
    enum NoteProblem: Equatable {
        case noColumn
        case empty
        case placeholder(String)
        case tooShort(String, letters: Int)
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for patient in context.patients {
            for line in patient.lines where line.claimType == .professional && Self.codes.contains(line.code) {
                let note = problem(withNote: line.justification)
                let credential = unqualifiedCredential(line.renderingCredential)
                guard note != nil || credential != nil else { continue }
                findings.append(Finding(Self.self, .error, on: line, .unsupported(line, note, credential)))
            }
        }
        return findings
    }

    func problem(withNote note: String?) -> NoteProblem? {
        guard let note else { return .noColumn }
        // Most notes are ASCII: their letters are counted on bytes, and one with more
        // letters than any placeholder (lower-casing keeps ASCII letters) is checked for
        // length alone. This runs for every 62370 and 95991 line of a dump.
        if let letters = Self.asciiLetters(note), letters > placeholderLetters {
            return letters < settings.minimumLetters ? .tooShort(note, letters: letters) : nil
        }
        if note.allSatisfy(\.isWhitespace) { return .empty }
        if placeholders.contains(Self.normalizedNote(note)) { return .placeholder(note) }
        let letters = note.filter(\.isLetter).count
        if letters < settings.minimumLetters { return .tooShort(note, letters: letters) }
        return nil
    }

    /// The letters of an ASCII note, counted on its bytes; nil for any other note.
    static func asciiLetters(_ note: String) -> Int? {
        var letters = 0
        for byte in note.utf8 {
            guard byte < 0x80 else { return nil }
            if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A { letters += 1 }
        }
        return letters
    }

    /// The credential as written when it names only staff who are not physicians or
    /// QHPs; nil when it names a QHP, is unknown, or is absent.
    func unqualifiedCredential(_ credential: String?) -> String? {
        guard let credential else { return nil }
        let parts = credential.split(whereSeparator: { ",;/&+".contains($0) }).map {
            Self.normalizedCredential(String($0))
        }
        if parts.contains(where: qualified.contains) { return nil }
        return parts.contains(where: unqualified.contains) ? credential : nil
    }

    /// Lower-case, single-spaced, without trailing punctuation: "  N/A. " -> "n/a".
    /// A note of punctuation only becomes "".
    static func normalizedNote(_ note: String) -> String {
        var words = note.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while let last = words.last, last.isPunctuation || last.isSymbol || last.isWhitespace { words.removeLast() }
        return words
    }

    /// Upper-case letters and digits only: "M.D." -> "MD", "PA-C" -> "PAC", "Medical Assistant" -> "MEDICALASSISTANT".
    static func normalizedCredential(_ credential: String) -> String {
        String(credential.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}

extension Finding.Message {
    fileprivate static func unsupported(
        _ line: ClaimLine, _ note: MissingComplexityJustificationRule.NoteProblem?, _ credential: String?
    ) -> Self {
        var reasons: [String] = []
        switch note {
        case .noColumn?:
            reasons.append("the export has no justification column, so nothing documents why that skill was needed")
        case .empty?:
            reasons.append("its justification is empty")
        case .placeholder(let text)?:
            reasons.append("its justification \"\(text)\" is a placeholder that names no reason")
        case .tooShort(let text, let letters)?:
            reasons.append("its justification \"\(text)\" has \(letters) letters, too few to name a reason")
        case nil:
            break
        }
        if let credential {
            let quoted = line.justification.map { $0.isEmpty ? "" : " (whatever its note, \"\($0)\", says)" } ?? ""
            reasons.append(
                "it was rendered by \"\(credential)\", who is not a physician or QHP\(note == nil ? quoted : "")")
        }
        return Self(
            "\(line.code) requires the skill of a physician or other QHP, but "
                + reasons.joined(separator: "; and ") + ".")
    }
}
