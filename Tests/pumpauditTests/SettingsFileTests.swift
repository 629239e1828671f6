import ClaimAudit
import ClaimIngest
import Foundation
import TestSupport
import Testing

@testable import pumpaudit

/// Each setting is declared once, by its rule: every key `pumpaudit rules` lists is a
/// key `pumpaudit.yml` reads, with the default it shows.
@Suite struct SettingsFileTests {
    /// Applies `yaml`, written as `pumpaudit.yml` in a scratch folder, to the defaults.
    private func apply(_ yaml: String) throws -> (AuditConfiguration, ConfigurationFile.Extras) {
        let scratch = ScratchFolder()
        var configuration = AuditConfiguration()
        let extras = try ConfigurationFile(path: scratch.write("pumpaudit.yml", yaml)).apply(to: &configuration)
        return (configuration, extras)
    }

    /// Every advertised setting with its advertised default, under `rules:`, and every
    /// per-payer one again under a payer.
    static var everyDefault: String {
        var rules = "rules:\n"
        var payer = "payers:\n  Acme Health:\n"
        for rule in RuleRegistry.all where !rule.settingDeclarations.isEmpty {
            rules += "  \(rule.description.identifier):\n"
            for setting in rule.settingDeclarations {
                rules += "    \(setting.key): \(setting.defaultText)\n"
            }
            let perPayer = rule.settingDeclarations.filter(\.perPayer)
            guard !perPayer.isEmpty else { continue }
            payer += "    \(rule.description.identifier):\n"
            for setting in perPayer {
                payer += "      \(setting.key): \(setting.defaultText)\n"
            }
        }
        return rules + payer
    }

    @Test func everyAdvertisedDefaultIsAcceptedAndGivesTheConfigurationOfNoFile() throws {
        let keys = RuleRegistry.all.flatMap { $0.settingDeclarations }
        #expect(keys.count >= 24, "the rules declare their settings")
        #expect(keys.contains { $0.perPayer })
        let (configuration, extras) = try apply(Self.everyDefault)
        #expect(configuration.hasSameSettings(as: AuditConfiguration(), for: RuleRegistry.all))
        #expect(configuration.payers == ["Acme Health"])
        #expect(configuration.disabledRules.isEmpty && configuration.severityOverrides.isEmpty)
        #expect(extras.changedSettings.allSatisfy { $0.hasPrefix("payers.") }, "\(extras.changedSettings)")
    }

    @Test func aChangedSettingIsReadAndNamedAsTheSummaryShowsIt() throws {
        let (configuration, extras) = try apply(
            """
            rules:
              pos_mismatch:
                expected_place_by_npi: {"1730495821": 2}
                hospital_places: [23, 19, 21, 22]
              unbundling:
                bypass_modifiers: [xu, 59]
              abnormal_interval:
                drug_max_refill_days: {j0475: 90}
            """)
        #expect(configuration[settingsOf: PlaceOfServiceMismatchRule.self].expectedPlaceByNPI == ["1730495821": "02"])
        #expect(configuration[settingsOf: UnbundlingRule.self].bypassModifiers == ["XU", "59"])
        #expect(configuration[settingsOf: AbnormalIntervalRule.self].drugMaxRefillDays == ["J0475": 90])
        #expect(
            extras.changedSettings == [
                "pos_mismatch.expected_place_by_npi = {1730495821: 02}", "unbundling.bypass_modifiers = [59, XU]",
                "abnormal_interval.drug_max_refill_days = {J0475: 90}",
            ], "a default written another way (hospital_places) is no change")
    }

    @Test func aPayerHasItsOwnValueOfEveryPerPayerSetting() throws {
        let (configuration, _) = try apply(
            """
            rules:
              abnormal_interval:
                min_refill_days: 21
            payers:
              Acme Health:
                abnormal_interval:
                  titration_drugs: [J0475]
            """)
        let acme = configuration[settingsOf: AbnormalIntervalRule.self, payer: "Acme Health"]
        #expect(acme.titrationDrugs == ["J0475"])
        #expect(acme.minRefillDays == 21, "a payer's settings start from the file's own")
        #expect(configuration[settingsOf: AbnormalIntervalRule.self, payer: "Medicare"].titrationDrugs == ["J2278"])
    }

    @Test(arguments: [
        (
            "rules:\n  pos_mismatch:\n    expected_place_by_npi: {\"17304\": 22}\n", 3,
            "rules.pos_mismatch.expected_place_by_npi.17304"
        ),
        (
            "rules:\n  abnormal_interval:\n    drug_max_refill_days:\n      J2278: soon\n", 4,
            "rules.abnormal_interval.drug_max_refill_days.J2278"
        ),
        ("rules:\n  pos_mismatch:\n    hospital_places: [19, 2x]\n", 3, "rules.pos_mismatch.hospital_places"),
        (
            "payers:\n  Acme:\n    pos_mismatch:\n      hospital_places: [19]\n", 4,
            "payers.Acme.pos_mismatch.hospital_places"
        ),
        ("rules:\n  mue_excess:\n    review_modifier: [GD]\n", 3, "rules.mue_excess.review_modifier"),
    ])
    func aBadValueNamesTheFileLineAndKey(yaml: String, line: Int, key: String) throws {
        #expect {
            _ = try apply(yaml)
        } throws: { error in
            let problem = error as? YAMLReader.Problem
            return problem?.line == line && problem?.key == key && problem?.file.hasSuffix("pumpaudit.yml") == true
        }
    }

    /// The locations a facility bills at, from pumpaudit.yml, through the built binary.
    @Test func expectedPlacesByNPIWorkFromTheConfigurationFile() throws {
        let scratch = ScratchFolder()
        scratch.write(
            "claims.csv",
            RuleExampleRows.locationHeader + "\n"
                + "C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,1730495821\n"
                + "C2,1,P2,2026-10-05,62369,,1,22,,1111111112,1111111112,MD,,120.00,1730495821\n")
        let arguments = ["audit", "claims.csv", "--out", "out", "--no-history", "--fail-on", "never"]
        let plain = try PumpAuditProcess.run(arguments, in: scratch.path)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!(try scratch.read("out/findings.csv")).contains("is listed at POS 22"))
        scratch.write(
            "pumpaudit.yml", "rules:\n  pos_mismatch:\n    expected_place_by_npi:\n      \"1730495821\": 22\n")
        let configured = try PumpAuditProcess.run(arguments, in: scratch.path)
        #expect(configured.status == 0, "\(configured.stderr)")
        let findings = try scratch.read("out/findings.csv")
        #expect(findings.contains("facility NPI 1730495821) is listed at POS 22"))
        #expect(findings.components(separatedBy: "is listed at POS").count == 2, "C2 is at its place")
        #expect(
            try scratch.read("out/summary.md").contains(
                "pos\\_mismatch.expected\\_place\\_by\\_npi = {1730495821: 22}"))
    }
}

/// Rows in the rule examples' layout with a facility NPI column.
enum RuleExampleRows {
    static let locationHeader =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,modifiers,service_unit_quantity,"
        + "place_of_service_code,bill_type_code,rendering_npi,billing_npi,rendering_credential,"
        + "complexity_justification,paid_amount,facility_npi"
}
