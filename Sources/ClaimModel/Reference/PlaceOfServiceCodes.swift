/// Names of the place-of-service codes and type-of-bill facility kinds that pump
/// services meet, for messages.
///
/// Sources: CMS Place of Service Code Set (professional claims) and the NUBC type
/// of bill, first two digits (facility type and bill classification).
public enum PlaceOfServiceCodes {
    /// Two-digit place of service -> its name.
    public static let names: [String: String] = [
        "02": "telehealth, not in the patient's home",
        "10": "telehealth in the patient's home",
        "11": "office",
        "12": "home",
        "19": "off-campus outpatient hospital",
        "21": "inpatient hospital",
        "22": "on-campus outpatient hospital",
        "23": "emergency room",
        "24": "ambulatory surgical center",
        "31": "skilled nursing facility",
        "32": "nursing facility",
        "41": "land ambulance",
        "42": "air or water ambulance",
        "49": "independent clinic",
        "81": "independent laboratory",
        "99": "other place of service",
    ]

    /// First two digits of a type of bill -> the kind of facility that bills it.
    public static let billTypeFacilities: [String: String] = [
        "11": "hospital inpatient",
        "12": "hospital inpatient, Part B only",
        "13": "hospital outpatient",
        "14": "hospital, other (not registered)",
        "21": "skilled nursing facility inpatient",
        "22": "skilled nursing facility, Part B",
        "23": "skilled nursing facility outpatient",
        "71": "rural health clinic",
        "77": "federally qualified health center",
        "83": "ambulatory surgical center",
        "85": "critical access hospital",
    ]

    /// A place of service as two digits: "22" is "22", "2" is "02"; nil for anything else.
    public static func normalized(_ text: String) -> String? {
        guard (1...2).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return text.count == 1 ? "0" + text : text
    }

    /// "POS 11 (office)", or "POS 77" for a code without a name here.
    public static func describe(place: String) -> String {
        names[place].map { "POS \(place) (\($0))" } ?? "POS \(place)"
    }

    /// "type of bill 131 (hospital outpatient)".
    public static func describe(billType: String) -> String {
        billTypeFacilities[String(billType.prefix(2))].map { "type of bill \(billType) (\($0))" }
            ?? "type of bill \(billType)"
    }
}
