import Foundation
import TestSupport
import Testing

/// `report.html` as a browser sees it: the samples (and a hostile export) audited by
/// the built binary, the page loaded by headless Chromium, and the DOM checked after
/// the page's script ran.
///
/// Chromium is a test dependency (Debian: `apt-get install chromium`). Without it these
/// tests fail rather than skip: a skipped browser check would let a broken page ship.
@Suite(.tags(.slow), .skippedInFastRuns) struct ReportInBrowserTests {
    /// A claim whose id and patient are markup: the page must show them as text.
    static let hostileClaims = """
        claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,rendering_npi,paid_amount
        <script>document.title='pwned'</script>,1,<img src=x onerror=alert(1)>,2026-10-05,95990,1,02,1111111112,70.00

        """

    static var chromium: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Audits the samples and the hostile claim; returns the scratch folder and the findings.csv rows.
    private func audit() throws -> (scratch: ScratchFolder, findings: [[String]]) {
        let scratch = ScratchFolder()
        scratch.write("hostile.csv", Self.hostileClaims)
        let run = try PumpAuditProcess.run(
            ["audit", SampleAuditTests.samples, "hostile.csv", "--out", "out", "--no-history"],
            in: scratch.path)
        #expect(run.status == 1, "\(run.stderr)")
        return (scratch, Array(parseCSV(try scratch.read("out/findings.csv")).dropFirst()))
    }

    /// The DOM after the page's scripts (and `extraScript`, run at the end of the body) ran.
    private func dom(_ scratch: ScratchFolder, extraScript: String? = nil) throws -> String {
        let chromium = try #require(
            Self.chromium,
            """
            Chromium is not installed: these tests load report.html in headless Chromium. \
            Install it (Debian: apt-get install -y chromium) and run the tests again.
            """)
        var page = try scratch.read("out/report.html")
        if let extraScript {
            page = page.replacingOccurrences(of: "</body>", with: "<script>\(extraScript)</script></body>")
        }
        scratch.write("page.html", page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        // A profile of its own: tests run in parallel, and none should touch ~/.config.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(scratch.path)/profile-\(UUID())",
            "--dump-dom", URL(fileURLWithPath: scratch.path + "/page.html").absoluteString,
        ]
        scratch.write("dom.html", "")
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/dom.html"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium --dump-dom failed or timed out")
        return try scratch.read("dom.html")
    }

    /// The rows of the findings table in DOM order, as (severity, amount in cents, hidden).
    private func findingRows(_ dom: String) throws -> [(severity: String, cents: Int, hidden: Bool)] {
        let table = try #require(dom.range(of: "id=\"findings-table\"").map { dom[$0.upperBound...] })
        let body = table[..<(table.range(of: "</table>")?.lowerBound ?? table.endIndex)]
        return body.components(separatedBy: "<tr data-rule=").dropFirst().map { row in
            let severity = row.firstMatch(of: /data-severity="([a-z]+)"/).map { String($0.1) } ?? ""
            let cents = row.firstMatch(of: /data-sort="(-?\d+)"/).flatMap { Int($0.1) } ?? Int.min
            let tag = row.prefix { $0 != ">" }
            return (severity, cents, tag.contains("hidden"))
        }
    }

    @Test func theScriptRunsAndInputStaysText() throws {
        let (scratch, findings) = try audit()
        let dom = try dom(scratch)
        let rows = try findingRows(dom)
        #expect(rows.count == findings.count)
        #expect(rows.allSatisfy { !$0.hidden })
        #expect(
            dom.contains("<div class=\"controls\" id=\"findings-controls\">"), "the script shows the filter controls")
        #expect(dom.contains(">\(findings.count) of \(findings.count) shown</output>"))
        #expect(dom.contains("<th class=\"num\" scope=\"col\"><button type=\"button\">amount at risk</button></th>"))
        // The hostile claim is in the table as text, and did not run.
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"))
        #expect(dom.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!dom.contains("<img"))
        #expect(!dom.contains("<title>pwned</title>"))
        for chart in ["by-rule", "by-provider", "by-month", "refill-intervals", "provider-outlier-skill"] {
            #expect(dom.contains("data-chart=\"\(chart)\""), "\(chart)")
        }
    }

    /// The funnel plot as the browser built it: a dot per provider with its title, the
    /// flagged provider highlighted, the pooled line and both pairs of control limits.
    @Test func theFunnelPlotShowsEveryProviderAndHighlightsTheFlaggedOne() throws {
        let (scratch, findings) = try audit()
        let flagged = Set(findings.filter { $0[0] == "provider_outlier" }.map { $0[16] })
        #expect(flagged == ["1999999992"])
        // What the browser parsed, counted by the page's own DOM.
        let dom = try dom(
            scratch,
            extraScript: """
                var plot = document.querySelector('svg[data-chart="provider-outlier-skill"]');
                var out = document.createElement("pre");
                out.id = "funnel-check";
                out.textContent = [
                  plot.querySelectorAll("circle.provider").length,
                  Array.from(plot.querySelectorAll("circle.flagged")).map(function (c) { return c.getAttribute("data-npi"); }).join(" "),
                  plot.querySelectorAll("polyline.limit").length,
                  plot.querySelectorAll("line.pooled").length,
                  plot.querySelector("circle.flagged title").textContent
                ].join("|");
                document.body.appendChild(out);
                """)
        let check = try #require(
            dom.range(of: #"<pre id="funnel-check">[^<]*</pre>"#, options: .regularExpression).map { String(dom[$0]) })
        let parts = check.dropFirst(#"<pre id="funnel-check">"#.count).dropLast("</pre>".count).split(separator: "|")
        try #require(parts.count == 5, "\(check)")
        #expect((Int(parts[0]) ?? 0) >= 10, "a dot per provider with refills")
        #expect(parts[1] == "1999999992")
        #expect(parts[2] == "4", "upper and lower limits at 95% and 99.8%")
        #expect(parts[3] == "1")
        #expect(parts[4].hasPrefix("NPI 1999999992: 29 of 30 refills are physician-skill refills"))
    }

    @Test func aHeaderClickSortsAndTheSeveritySelectFilters() throws {
        let (scratch, findings) = try audit()
        let sorted = try findingRows(
            dom(
                scratch,
                extraScript: """
                    var amount = document.querySelector("#findings-table thead th:nth-child(10) button");
                    amount.click(); amount.click();
                    """))
        #expect(sorted.count == findings.count)
        #expect(sorted.map(\.cents) == sorted.map(\.cents).sorted(by: >), "two clicks sort by amount, largest first")
        #expect(Set(sorted.map(\.cents)).count > 1, "a sort over equal amounts would prove nothing")

        let filtered = try dom(
            scratch,
            extraScript: """
                var severity = document.getElementById("filter-severity");
                severity.value = "info";
                severity.dispatchEvent(new Event("change"));
                """)
        let rows = try findingRows(filtered)
        let info = findings.filter { $0[1] == "info" }.count
        #expect(info > 0 && info < findings.count)
        #expect(rows.filter { !$0.hidden }.count == info)
        #expect(rows.allSatisfy { $0.hidden == ($0.severity != "info") })
        #expect(filtered.contains(">\(info) of \(findings.count) shown</output>"))
    }
}
