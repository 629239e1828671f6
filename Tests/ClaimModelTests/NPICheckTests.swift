import ClaimModel
import Testing

@Suite struct NPICheckTests {
    /// 1234567893 is the example of CMS's check-digit paper; the others were computed
    /// by the same rule (Luhn over 80840 and the first nine digits).
    @Test(arguments: ["1234567893", "1111111112", "1222222220", "1333333338", "1444444446", "1999999992", "2000000002"])
    func validNPIsPass(npi: String) {
        #expect(NPICheck.problem(npi) == nil)
    }

    @Test(arguments: [
        ("1234567890", NPICheck.Problem.checkDigit), ("1111111111", .checkDigit), ("1234567894", .checkDigit),
        ("3234567893", .badFirstDigit), ("0000000000", .badFirstDigit), ("123456789", .notTenDigits),
        ("12345678930", .notTenDigits), ("12345 6789", .notTenDigits), ("1.20938E+9", .scientificNotation),
        ("1.23457e+09", .scientificNotation), ("1234567893.0", .notTenDigits),
    ])
    func invalidNPIsSayWhy(npi: String, problem: NPICheck.Problem) {
        #expect(NPICheck.problem(npi) == problem, "\(npi)")
    }

    /// Every single-digit change of a valid NPI is caught, as the Luhn check promises.
    @Test func everySingleDigitErrorIsCaught() {
        let valid = Array("1234567893")
        for position in valid.indices {
            for digit in "0123456789" where digit != valid[position] {
                var changed = valid
                changed[position] = digit
                #expect(NPICheck.problem(String(changed)) != nil, "\(String(changed))")
            }
        }
    }
}
