import NIOPosix
import WaiaasSolana

/// Every operator-configured endpoint, asked the same question at once.
/// A fact a decision rests on is taken only when every endpoint gives it
/// (see `agreed`), so one lying or lagging node can refuse a request but
/// never move a decision.
public final class ChainQuorum: Sendable {
    public let endpoints: [RPCEndpoint]
    public let settings: RPCSettings
    /// Calls block on libcurl, so they run here: never on an event loop,
    /// and never on the pool the ledger's reads use.
    private let pool: NIOThreadPool

    public init(urls: [String], settings: RPCSettings = RPCSettings(), threads: Int = 8) throws(ChainError) {
        guard !urls.isEmpty else { throw ChainError(.notConfigured, "no RPC endpoint is configured") }
        var endpoints: [RPCEndpoint] = []
        for url in urls { endpoints.append(try RPCEndpoint(url: url, settings: settings)) }
        self.endpoints = endpoints
        self.settings = settings
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// The names of the endpoints, for messages: `scheme://host:port` each.
    public var names: String { endpoints.map(\.name).joined(separator: ", ") }

    /// Asks every endpoint at once; one result per endpoint, in order.
    public func each<Value: Sendable>(_ question: @escaping @Sendable (RPCEndpoint) throws(ChainError) -> Value) async -> [Result<Value, ChainError>] {
        await withTaskGroup(of: (Int, Result<Value, ChainError>).self) { group in
            for (i, endpoint) in endpoints.enumerated() {
                group.addTask { [pool] in
                    let result: Result<Value, ChainError>
                    do {
                        result = try await pool.runIfActive { () -> Result<Value, ChainError> in
                            do throws(ChainError) { return .success(try question(endpoint)) } catch { return .failure(error) }
                        }
                    } catch {
                        result = .failure(ChainError(.transport, "the RPC thread pool is shut down"))
                    }
                    return (i, result)
                }
            }
            var results = [Result<Value, ChainError>?](repeating: nil, count: endpoints.count)
            for await (i, result) in group { results[i] = result }
            return results.map { $0! }
        }
    }

    /// The one answer every endpoint gave, or why there is none: the first
    /// endpoint's failure, or a disagreement naming who said what.
    public func agreed<Value: Sendable & Equatable>(
        _ what: String, _ question: @escaping @Sendable (RPCEndpoint) throws(ChainError) -> Value
    ) async -> Result<Value, ChainError> {
        let results = await each(question)
        var values: [Value] = []
        for result in results {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error): return .failure(error)
            }
        }
        guard let first = values.first, values.allSatisfy({ $0 == first }) else {
            return .failure(ChainError(.disagreement, "the RPC endpoints (\(names)) disagree about \(what)"))
        }
        return .success(first)
    }
}
