using System.Collections.Concurrent;
using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Grid.Tests.Support;

/// <summary>Records every call a liquidation coordinator makes to an account: target account and method, in order.</summary>
public sealed class CoordinatorCalls : IOutgoingGrainCallFilter
{
    private readonly ConcurrentQueue<(string Account, string Method)> _calls = new();

    public IReadOnlyList<string> To(string accountId) => [.. _calls.Where(c => c.Account == accountId).Select(c => c.Method)];

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SourceId is { } source && source.Type.ToString().StartsWith("liquidationcoordinator", StringComparison.Ordinal)
            && context.InterfaceName.EndsWith(nameof(IAccountLiquidation), StringComparison.Ordinal))
        {
            _calls.Enqueue((context.TargetId.Key.ToString()!, context.MethodName));
        }

        return context.Invoke();
    }
}
