import NIOConcurrencyHelpers

/// Remembers a shutdown request that may come before anyone listens for it.
public final class ShutdownLatch: Sendable {
    private struct State {
        var triggered = false
        var action: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public func trigger() {
        let action: (@Sendable () -> Void)? = state.withLockedValue { state in
            state.triggered = true
            return state.action
        }
        action?()
    }

    /// Runs `action` on trigger, or at once if a trigger already came.
    public func onTrigger(_ action: @escaping @Sendable () -> Void) {
        let already = state.withLockedValue { state in
            state.action = action
            return state.triggered
        }
        if already { action() }
    }
}
