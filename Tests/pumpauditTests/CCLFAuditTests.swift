import Foundation
import TestSupport
import Testing

/// CCLF files audited end to end: read as CMS ships them, CCLF2 lines joined to their
/// CCLF1 headers in the patient partitions.
@Suite struct CCLFAuditTests {
    static let fixtures =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/CCLF").path

    static let claimHeaders = fixtures + "/cclf1_parta_claims_header.csv"
    static let revenueLines = fixtures + "/cclf2_parta_revenue_center_detail.csv"
    static let physicianLines = fixtures + "/cclf5_partb_physicians.csv"

    struct Run {
        var findings: [[String]]
        var summary: String
        var stderr: String

        /// The findings without their source file and line, which name the input read, in
        /// an order of their own (reports list findings in the order of their sources).
        var findingsWithoutSource: [[String]] {
            findings.map { Array($0.prefix(14)) }.sorted { $0.lexicographicallyPrecedes($1) }
        }

        func rules(on claim: String) -> [String] {
            findings.filter { $0[2] == claim }.map { "\($0[0]) \($0[1]) \($0[6])" }.sorted()
        }
    }

    private func audit(_ inputs: [String], jobs: Int = 1, in scratch: ScratchFolder, out: String = "out") throws
        -> Run
    {
        let run = try PumpAuditProcess.run(
            ["audit"] + inputs + ["--out", out, "--no-history", "--fail-on", "never", "--jobs", "\(jobs)"],
            in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        return Run(
            findings: Array(parseCSV(try scratch.read("\(out)/findings.csv")).dropFirst()),
            summary: try scratch.read("\(out)/summary.md"), stderr: run.stderr)
    }

    /// Each CCLF file type, in its real layout, gives the findings of the same lines in
    /// Tuva's `medical_claim` layout: CCLF5 professional lines, CCLF2 revenue center lines
    /// alone (institutional, no type of bill), and CCLF1 with CCLF2 (the lines joined to
    /// their headers, against a Tuva file whose lines carry their claim's fields).
    @Test(arguments: [
        (["cclf5_partb_physicians.csv"], ["tuva_of_cclf5.csv"]),
        (["cclf2_parta_revenue_center_detail.csv"], ["tuva_of_cclf2.csv"]),
        (
            ["cclf1_parta_claims_header.csv", "cclf2_parta_revenue_center_detail.csv"],
            ["tuva_of_cclf1_and_cclf2.csv", "tuva_of_cclf2_headerless.csv"]
        ),
    ])
    func eachCCLFFileGivesTheFindingsOfItsTuvaCopy(cclf: [String], tuva: [String]) throws {
        let scratch = ScratchFolder()
        let fromCCLF = try audit(cclf.map { Self.fixtures + "/" + $0 }, in: scratch, out: "cclf")
        let fromTuva = try audit(tuva.map { Self.fixtures + "/" + $0 }, in: scratch, out: "tuva")
        #expect(!fromCCLF.findings.isEmpty)
        #expect(fromCCLF.findingsWithoutSource == fromTuva.findingsWithoutSource)
    }

    /// What the fixtures hold, so that the comparison above compares findings.
    @Test func theFixturesFindWhatTheyWereWrittenFor() throws {
        let scratch = ScratchFolder()
        let physician = try audit([Self.physicianLines], in: scratch, out: "b")
        #expect(
            physician.rules(on: "0000000005004") == [
                // An office refill with no pump drug line that day: noted, the drug may come from a pharmacy.
                "encounter_linkage info 62370", "missing_complexity_justification error 62370",
                "same_day_em warning 99214",
            ])
        #expect(physician.rules(on: "0000000005005") == ["pos_mismatch error 95990"])

        let partA = try audit([Self.claimHeaders, Self.revenueLines], in: scratch, out: "a")
        // 62368 under 62369 (outpatient hospital PTP); the header's R25.2 supports neither.
        #expect(
            partA.rules(on: "0000000002002") == [
                "medical_necessity warning 62368", "medical_necessity warning 62369", "unbundling error 62368",
            ])
        // Original, cancellation and adjustment: one 95990, no MUE excess.
        #expect(partA.findings.filter { $0[4] == "9PA1CC1AA03" }.isEmpty)
        #expect(partA.summary.contains("Lines dropped before the rules: 3 = 0 duplicate (read twice), 3 voided"))
        // The claim without a header is audited with what it has.
        #expect(partA.rules(on: "0000000002006") == ["unbundling error 62367"])

        // Without CCLF1 the cancellation is not known as one: three 95990 lines, each an MUE excess.
        let linesAlone = try audit([Self.revenueLines], in: scratch, out: "c")
        #expect(
            linesAlone.findings.filter { $0[4] == "9PA1CC1AA03" }.map { $0[0] }
                == Array(repeating: "mue_excess", count: 3))
        // And no diagnosis column: medical necessity is not checked.
        #expect(!linesAlone.findings.contains { $0[0] == "medical_necessity" })
        // Audited alone as facility lines, which the summary says; no CCLF1 was given, so no warning.
        #expect(linesAlone.summary.contains("Facility lines without a type of bill: 10; no input holds claim headers"))
        #expect(!linesAlone.summary.contains("joined to their claim header"))
        #expect(!linesAlone.stderr.contains("found no claim header"))
    }

    /// The join does not depend on which file is read first, on arguments or a folder,
    /// or on the cores; the facility claim header meets the professional line of the
    /// same day (pos_mismatch's cross-match) either way.
    @Test func theJoinIsTheSameInAnyOrderOnAnyCores() throws {
        let scratch = ScratchFolder()
        for name in [
            "cclf1_parta_claims_header.csv", "cclf2_parta_revenue_center_detail.csv", "cclf5_partb_physicians.csv",
        ] {
            scratch.write("folder/\(name)", try String(contentsOfFile: Self.fixtures + "/" + name, encoding: .utf8))
        }
        let forward = try audit([Self.claimHeaders, Self.revenueLines, Self.physicianLines], jobs: 1, in: scratch)
        #expect(
            forward.rules(on: "0000000005001") == ["pos_mismatch error 62369", "pos_mismatch error J0475"],
            "\(forward.findings)")
        #expect(forward.summary.contains("Facility lines joined to their claim header"))
        #expect(
            forward.summary.contains(
                "joined to their claim header (type of bill, claim dates, NPIs, diagnoses, adjustment): 8"))
        #expect(forward.summary.contains("Facility lines without a type of bill: 2; their claim header is in no input"))
        #expect(forward.stderr.contains("2 facility line(s) found no claim header in the inputs"))
        for jobs in [1, 2] {
            let backward = try audit(
                [Self.physicianLines, Self.revenueLines, Self.claimHeaders], jobs: jobs, in: scratch)
            #expect(backward.findingsWithoutSource == forward.findingsWithoutSource, "--jobs \(jobs)")
            let folder = try audit(["folder"], jobs: jobs, in: scratch)
            #expect(folder.findingsWithoutSource == forward.findingsWithoutSource, "folder, --jobs \(jobs)")
        }
    }

    /// With enough input to spread patients over several partitions, every CCLF2 line
    /// still meets its header: both carry the patient, whose hash picks the partition.
    @Test(.tags(.slow), .skippedInFastRuns) func theJoinHoldsAcrossPatientPartitions() throws {
        let scratch = ScratchFolder()
        let small = try audit([Self.claimHeaders, Self.revenueLines, Self.physicianLines], in: scratch, out: "small")
        // About 1.5 MiB of lab lines of other patients: out of scope, but counted toward
        // the partition count (256 KiB of input per partition).
        var filler = "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,place_of_service_code\n"
        for index in 0..<30_000 {
            filler += "LAB\(index),1,FILLER\(index % 997),2026-10-05,80053,81\n"
        }
        scratch.write("filler.csv", filler)
        for jobs in [1, 2] {
            let large = try audit(
                [Self.revenueLines, "filler.csv", Self.physicianLines, Self.claimHeaders], jobs: jobs, in: scratch,
                out: "large\(jobs)")
            #expect(large.findingsWithoutSource == small.findingsWithoutSource, "--jobs \(jobs)")
            let partitions = try #require(
                large.stderr.firstMatch(of: /in-scope lines in (\d+) patient partition/).flatMap { Int($0.1) })
            #expect(partitions > 1)
            #expect(large.summary.contains("adjustment): 8"))
        }
    }
}
