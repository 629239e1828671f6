/// A value of the line's value store on its way into a partition: what the decoder
/// read from a record for one `LineField`, text still the record's bytes when it can be.
public struct StoredFieldValue {
    /// The field's place in the value store (`ClaimField.stored`).
    public var slot: Int
    public var value: Value

    public enum Value {
        case text(SpillText)
        case wholeNumber(Int)
        case decimal(Double)
        case money(Money)
        case date(ServiceDate)
    }

    public init(slot: Int, value: Value) {
        self.slot = slot
        self.value = value
    }

    /// A value of a line already built.
    init(slot: Int, _ value: LineValue) {
        self.slot = slot
        switch value {
        case .text(let text): self.value = .text(.string(text))
        case .wholeNumber(let number): self.value = .wholeNumber(number)
        case .decimal(let number): self.value = .decimal(number)
        case .money(let amount): self.value = .money(amount)
        case .date(let date): self.value = .date(date)
        }
    }

    /// The value as a line holds it: what the partition coding gives back.
    var lineValue: LineValue {
        switch value {
        case .text(let text): return .text(text.string)
        case .wholeNumber(let number): return .wholeNumber(number)
        case .decimal(let number): return .decimal(number)
        case .money(let amount): return .money(amount)
        case .date(let date): return .date(date)
        }
    }
}

/// The value store's part of the partition form: the count of values, then each as its
/// slot, a kind byte and the value. The kind is written, not looked up from the slot's
/// format, so that a damaged or foreign record fails the check instead of misreading.
enum LineValuesCoding {
    static func encode(_ values: [StoredFieldValue], into out: inout some SpillOutput) {
        SpillEncoder.put(UInt64(values.count), into: &out)
        for stored in values {
            SpillEncoder.put(UInt64(stored.slot), into: &out)
            switch stored.value {
            case .text(let text):
                out.append(0)
                SpillEncoder.put(text, into: &out)
            case .wholeNumber(let number):
                out.append(1)
                SpillEncoder.put(number, into: &out)
            case .decimal(let number):
                out.append(2)
                SpillEncoder.put(number.bitPattern, into: &out)
            case .money(let amount):
                out.append(3)
                SpillEncoder.put(Int(amount.cents), into: &out)
            case .date(let date):
                out.append(4)
                SpillEncoder.put(Int(date.dayNumber), into: &out)
            }
        }
    }

    static func decode(from decoder: inout SpillDecoder) throws -> LineValues {
        let count = Int(clamping: try decoder.unsigned())
        var values = LineValues()
        var previous = -1
        for _ in 0..<count {
            let slot = Int(clamping: try decoder.unsigned())
            // Slots are written in order, each once, and name a declared field.
            guard slot > previous, slot < ClaimField.stored.count else { throw SpillError.damaged("claim lines") }
            previous = slot
            switch try decoder.byte() {
            case 0: values[slot] = .text(try decoder.text())
            case 1: values[slot] = .wholeNumber(try decoder.int())
            case 2: values[slot] = .decimal(Double(bitPattern: try decoder.unsigned()))
            case 3: values[slot] = .money(Money(cents: Int64(try decoder.int())))
            case 4: values[slot] = .date(ServiceDate(dayNumber: Int32(truncatingIfNeeded: try decoder.int())))
            default: throw SpillError.damaged("claim lines")
            }
        }
        return values
    }
}
