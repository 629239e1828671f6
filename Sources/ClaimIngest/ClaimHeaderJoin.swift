import ClaimModel

/// Facility lines joined to their claim header.
///
/// CMS's CCLF gives a Part A claim in two files: its header in CCLF1 (type of bill in
/// three columns, claim dates, facility, billing and attending NPIs, principal
/// diagnosis, adjustment type) and its revenue center lines in CCLF2, which carry the
/// claim id, the patient, the codes and units but none of the header's fields. A header
/// is read as an institutional line of its own (no code, no line number), which is also
/// what shows the facility claim to `pos_mismatch`; the join copies its claim fields
/// onto the lines of the same claim id and patient that lack them.
///
/// It runs per patient partition, before the rest of `LineReconciliation`: both files
/// carry the patient (`BENE_MBI_ID`), so a header is written to the partition of its
/// lines whichever file is read first, or whether they come in one folder or two
/// arguments, and meets them there. Nothing is held across files or partitions.
///
/// A facility line that finds no header keeps what it has: it is audited as an
/// institutional line (the outpatient hospital tables) without a type of bill, NPIs or
/// diagnoses of its claim, and an original, since only the header says whether its claim
/// cancels or adjusts another. Such lines are counted (`ClaimHeaderJoinCounts`), and the
/// summary names them.
enum ClaimHeaderJoin {
    struct Outcome {
        var counts = ClaimHeaderJoinCounts()
        /// For each line that took a header, the file of that header: the line belongs
        /// to the claim version the header's file brought, not to a version of its own
        /// file (see `LineReconciliation`'s replacements).
        var versionFile: [Int: String] = [:]
    }

    static func apply(_ lines: inout [ClaimLine]) -> Outcome {
        var outcome = Outcome()
        // Most exports carry the type of bill on every facility line: nothing to join.
        guard lines.contains(where: needsHeader) else { return outcome }
        for indices in LineReconciliation.claimGroups(lines).values {
            guard indices.contains(where: { needsHeader(lines[$0]) }), let header = header(among: indices, in: lines)
            else { continue }
            let source = lines[header]
            for index in indices where needsHeader(lines[index]) {
                fill(&lines[index], from: source)
                outcome.versionFile[index] = source.source.file
                outcome.counts.joined += 1
            }
        }
        outcome.counts.withoutHeader = lines.lazy.filter(needsHeader).count
        return outcome
    }

    /// A facility line without a type of bill; a professional line sharing a claim id
    /// with a facility claim is another claim and is left alone.
    private static func needsHeader(_ line: ClaimLine) -> Bool {
        line.claimType == .institutional && line.billType == nil && !line.fromHistory
    }

    /// The claim's header: a line with a type of bill, preferably a true header row (no
    /// code and no line number), else the first line that has one.
    private static func header(among indices: [Int], in lines: [ClaimLine]) -> Int? {
        let withBillType = indices.filter { lines[$0].billType != nil && lines[$0].claimType == .institutional }
        return withBillType.first { lines[$0].code.isEmpty && lines[$0].lineNumber == nil } ?? withBillType.first
    }

    /// The header's claim fields, where the line has none of its own.
    private static func fill(_ line: inout ClaimLine, from header: ClaimLine) {
        line.billType = header.billType
        line.adjustment = header.adjustment
        if line.claimSpan == nil { line.claimSpan = header.claimSpan }
        if line.facilityNPI == nil { line.facilityNPI = header.facilityNPI }
        if line.billingNPI == nil { line.billingNPI = header.billingNPI }
        if line.renderingNPI == nil { line.renderingNPI = header.renderingNPI }
        if line.diagnosisCodes == nil { line.diagnosisCodes = header.diagnosisCodes }
        if line.payer == nil { line.payer = header.payer }
    }
}
