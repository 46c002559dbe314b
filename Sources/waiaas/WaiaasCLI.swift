import ArgumentParser

/// `waiaas`: the command line for owners, operators and scripts. It talks to
/// a running `waiaasd` over its Unix socket, or works offline on files.
@main
struct WaiaasCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waiaas",
        abstract: "Talk to a WAIaaS daemon, or work offline on transactions and policies.",
        subcommands: [
            StatusCommand.self,
            DecodeCommand.self,
            AttestCommand.self,
            OwnerCommand.self,
            SignCommand.self,
            SignMessageCommand.self,
            BalanceCommand.self,
            TransferCommand.self,
            ProposeCommand.self,
            ProposalsCommand.self,
            SquadsCommand.self,
            PolicyCommand.self,
            LedgerCommand.self,
            X402Command.self,
            FreezeCommand.self,
            UnfreezeCommand.self,
            MCPCommand.self,
        ]
    )

    /// ArgumentParser's `main`, with the CLI's one error style: a
    /// `CLIFailure` is printed as `waiaas: <message>` and exits with its
    /// status. Everything else (usage errors, help) stays ArgumentParser's.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            failure.exit()
        } catch {
            exit(withError: error)
        }
    }
}
