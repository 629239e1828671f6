/// Every rule pumpaudit runs, in the order it runs them.
///
/// Rules are independent: each sees every line and none sees another's findings,
/// so the order only decides the order findings are produced in (reports sort them
/// again). It follows the life of a claim: first the edits a payer applies to one
/// date of service (pairs, then units), then checks of documentation and place,
/// then patterns across dates.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        // Same patient, date and provider: NCCI procedure-to-procedure pairs.
        UnbundlingRule.self,
        // Same patient, date and code: units against the MUE, after pairs, because
        // a pair finding usually explains a unit excess on the same day.
        MUEExcessRule.self,
        // Same patient, date and provider again, but policy rather than an edit: an E/M
        // visit beside a pump service. After the edits, since a payer applies those first.
        SameDayEvaluationAndManagementRule.self,
        // One line's documentation: once the codes and units stand, is the skill billed supported?
        MissingComplexityJustificationRule.self,
        // The claim's reason for the service: its diagnoses, once the line itself stands.
        MedicalNecessityRule.self,
        // The drug lines: the waste modifiers of one drug, which a payer edits on the line.
        DrugWasteModifierRule.self,
        // The drug's visit: a refill the same day, on any claim, once the lines stand.
        EncounterLinkageRule.self,
        // One date's place: after documentation, because it compares a line with the other
        // claims (facility, same encounter) of that date rather than with itself.
        PlaceOfServiceMismatchRule.self,
        // Across dates, with history: intervals between services. Last, because it is
        // the only rule that reads earlier months, and its findings cite them.
        AbnormalIntervalRule.self,
        // Across patients: each provider against its peers, from every partition's counts.
        // It decides only after the last partition, so its place here orders nothing but
        // the list; its findings come after every line's in the reports.
        ProviderOutlierRule.self,
    ]

    public static func rule(withIdentifier identifier: String) -> (any Rule.Type)? {
        all.first { $0.description.identifier == identifier }
    }
}
