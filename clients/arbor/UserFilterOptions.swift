import ArborCLIKit
import ArborClient
import ArgumentParser

/// Who is counted or returned. Each option may repeat or take a comma-separated list.
struct UserFilterOptions: ParsableArguments {
    @Option(name: .customLong("role"), help: ArgumentHelp("Only users with this role.", valueName: "role"))
    var roles: [String] = []
    @Option(name: .customLong("state"), help: ArgumentHelp("Only users in this state.", valueName: "state"))
    var states: [String] = []
    @Option(name: .customLong("district"), help: ArgumentHelp("Only users in this district.", valueName: "district"))
    var districts: [String] = []
    @Option(name: .customLong("block"), help: ArgumentHelp("Only users in this block.", valueName: "block"))
    var blocks: [String] = []
    @Option(name: .customLong("village"), help: ArgumentHelp("Only users in this village.", valueName: "village"))
    var villages: [String] = []
    @Flag(inversion: .prefixedNo, help: "Only active (--active) or only inactive (--no-active) users.")
    var active: Bool?
    @Flag(inversion: .prefixedNo, help: "Only users with (--app-installed) or without the app.")
    var appInstalled: Bool?

    var filter: UserFilter {
        UserFilter(
            roles: split(roles), states: split(states), districts: split(districts), blocks: split(blocks),
            villages: split(villages), active: active, appInstalled: appInstalled)
    }
}

/// Which registrations are counted.
struct RegistrationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("First day counted (inclusive).", valueName: "YYYY-MM-DD"))
    var from: String?
    @Option(help: ArgumentHelp("Last day counted (inclusive).", valueName: "YYYY-MM-DD"))
    var to: String?
    @Option(name: .customLong("type"), help: ArgumentHelp("Only this registration type.", valueName: "type"))
    var types: [String] = []
    @Option(name: .customLong("channel"), help: ArgumentHelp("Only this channel.", valueName: "channel"))
    var channels: [String] = []

    func filter() throws -> RegistrationFilter {
        let fromDay = try from.map { text throws(CLIError) in try OptionParsing.day(text, option: "--from") }
        let toDay = try to.map { text throws(CLIError) in try OptionParsing.day(text, option: "--to") }
        if let fromDay, let toDay, fromDay > toDay {
            throw CLIError(.usage, "--from \(fromDay) is after --to \(toDay)")
        }
        return RegistrationFilter(types: split(types), channels: split(channels), from: fromDay, to: toDay)
    }
}

/// `--role A --role B` and `--role A,B` mean the same.
func split(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",").map(String.init) }
}
