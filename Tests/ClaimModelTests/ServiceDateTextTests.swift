import Testing

@testable import ClaimModel

/// The one reader of dates outside claims: the command line, configuration and
/// suppression files, and the NCCI tables.
@Suite struct ServiceDateTextTests {
    static let cases: [(String, ServiceDate.TextLayout, String?)] = [
        ("2026-10-05", .dashed, "2026-10-05"), ("2024-02-29", .dashed, "2024-02-29"), ("2026-02-29", .dashed, nil),
        ("2026-1-05", .dashed, nil), ("2026--10-05", .dashed, nil), ("2026-+1-05", .dashed, nil),
        ("2026/10/05", .dashed, nil), ("20261005", .dashed, nil), (" 2026-10-05", .dashed, nil),
        ("20261005", .compact, "2026-10-05"), ("20261305", .compact, nil), ("+2026100", .compact, nil),
        ("2026-10-05", .compact, nil), ("2026-10", .month, "2026-10-01"), ("2026-13", .month, nil),
        ("2026-1", .month, nil), ("202610", .month, nil), ("", .month, nil), ("١٢٣٤-10", .month, nil),
    ]

    @Test(arguments: cases)
    func aDateIsReadOnlyInItsLayout(text: String, layout: ServiceDate.TextLayout, expected: String?) {
        #expect(ServiceDate(text, layout: layout)?.description == expected)
    }

}
