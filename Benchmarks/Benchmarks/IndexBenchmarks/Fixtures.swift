import ArborIndex
import ArborModel
import DemoShape

/// A generated organisation and its snapshot. Globals outside the entry file initialise lazily, so a filtered run
/// only generates the data it uses.
struct Prepared: Sendable {
    let data: DemoData
    let snapshot: IndexSnapshot

    init(_ shape: DemoShape) {
        data = DemoData(shape: shape)
        snapshot = try! IndexSnapshot.build(
            roles: data.roles, users: data.users, edges: data.edges, rollups: data.rollups)
    }

    func build() throws -> IndexSnapshot {
        try IndexSnapshot.build(
            roles: data.roles, users: data.users, edges: data.edges, rollups: data.rollups)
    }

    /// `days` days ending at the last generated day.
    func window(days: Int32) -> RegistrationFilter {
        RegistrationFilter(from: data.lastDay.advanced(by: -(days - 1)), to: data.lastDay)
    }
}

let demo = Prepared(.demo)
let million = Prepared(.million)
