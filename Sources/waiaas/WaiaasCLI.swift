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
            PolicyCommand.self,
            LedgerCommand.self,
        ]
    )
}
