using System.Reflection;
using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Grid.Tests.Infrastructure;

/// <summary>A market grain that answers only <see cref="IMarketGrain.Quote"/>, with what the test set, and counts the questions.</summary>
public class MarketGrainStub : DispatchProxy
{
    private int _quotes;

    public MarketQuote? Answer { get; set; }

    public int Quotes => Volatile.Read(ref _quotes);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != nameof(IMarketGrain.Quote))
        {
            throw new NotSupportedException($"{targetMethod?.Name} is not stubbed");
        }

        Interlocked.Increment(ref _quotes);
        return Task.FromResult(Answer);
    }
}
