import ArborModel
import ArborWire

extension FilteredStatsResult {
    func response(answeredBy answer: AnswerSource) -> ArborV1.FilteredStatsResponse {
        var response = ArborV1.FilteredStatsResponse()
        response.rows = rows.map { row in
            var wire = ArborV1.StatsRow()
            wire.keys = row.keys
            wire.registrations = row.registrations
            wire.registeringUsers = row.registeringUsers
            return wire
        }
        response.totalRegistrations = totalRegistrations
        response.usersInScope = usersInScope
        response.meta = answer.meta
        return response
    }
}

extension LeaderboardResult {
    func response(answeredBy answer: AnswerSource) -> ArborV1.LeaderboardResponse {
        var response = ArborV1.LeaderboardResponse()
        response.rows = rows.map { row in
            var wire = ArborV1.LeaderboardRow()
            wire.rank = row.rank
            wire.userID = row.userID.bytes
            wire.name = row.name
            wire.role = row.role
            wire.selfRegistrations = row.selfRegistrations
            wire.treeRegistrations = row.treeRegistrations
            wire.directChildren = row.directChildren
            wire.downlineSize = row.downlineSize
            wire.downlineByRole = row.downlineByRole.map { count in
                var wire = ArborV1.RoleCount()
                wire.role = count.role
                wire.count = count.count
                return wire
            }
            return wire
        }
        response.totalRanked = totalRanked
        response.meta = answer.meta
        return response
    }
}

extension CyclesResult {
    func response(answeredBy answer: AnswerSource) -> ArborV1.CyclesResponse {
        var response = ArborV1.CyclesResponse()
        response.cycles = cycles.map { members in
            var cycle = ArborV1.Cycle()
            cycle.members.reserveCapacity(members.count * 16)
            for member in members { member.append(to: &cycle.members) }
            return cycle
        }
        response.total = total
        response.meta = answer.meta
        return response
    }
}

extension FindUsersResult {
    func response(answeredBy answer: AnswerSource) -> ArborV1.FindUsersResponse {
        var response = ArborV1.FindUsersResponse()
        response.users = users.map { user in
            var wire = ArborV1.User()
            wire.id = user.id.bytes
            wire.name = user.name
            wire.role = user.role
            wire.state = user.state
            wire.district = user.district
            wire.block = user.block
            wire.village = user.village
            wire.active = user.active
            wire.appInstalled = user.appInstalled
            return wire
        }
        response.meta = answer.meta
        return response
    }
}
