extension ServiceDate {
    /// How a date is written in what pumpaudit reads besides claims: the command line,
    /// configuration and suppression files, and the NCCI tables. Claims themselves are
    /// read by ingest, which accepts more forms.
    public enum TextLayout: Sendable {
        /// `YYYY-MM-DD`.
        case dashed
        /// `YYYYMMDD`, as the NCCI tables write dates.
        case compact
        /// `YYYY-MM`: the first day of that month.
        case month
    }

    /// The date `text` writes in `layout`: digits exactly where the layout has them
    /// and a real day; nil for anything else.
    public init?(_ text: some StringProtocol, layout: TextLayout) {
        let bytes = Array(text.utf8)
        // Where the month and the day start, and where dashes stand.
        let (month, day, dashes): (Int, Int?, [Int])
        switch layout {
        case .dashed: (month, day, dashes) = (5, 8, [4, 7])
        case .compact: (month, day, dashes) = (4, 6, [])
        case .month: (month, day, dashes) = (5, nil, [4])
        }
        let length = (day ?? month) + 2
        guard bytes.count == length, dashes.allSatisfy({ bytes[$0] == UInt8(ascii: "-") }) else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0, 4), let m = number(month, 2), let d = day.map({ number($0, 2) }) ?? 1 else {
            return nil
        }
        self.init(year: y, month: m, day: d)
    }
}
