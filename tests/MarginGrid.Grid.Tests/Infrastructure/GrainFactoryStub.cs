using System.Reflection;
using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Grid.Tests.Infrastructure;

/// <summary>A grain factory that hands out one <see cref="MarketGrainStub"/> per symbol and nothing else.</summary>
public class GrainFactoryStub : DispatchProxy
{
    private readonly Dictionary<string, IMarketGrain> _markets = new(StringComparer.Ordinal);

    public static (IGrainFactory Factory, GrainFactoryStub Stub) Create()
    {
        var factory = Create<IGrainFactory, GrainFactoryStub>();
        return (factory, (GrainFactoryStub)(object)factory);
    }

    public MarketGrainStub Market(string symbol)
    {
        lock (_markets)
        {
            if (!_markets.TryGetValue(symbol, out var market))
            {
                market = Create<IMarketGrain, MarketGrainStub>();
                _markets[symbol] = market;
            }

            return (MarketGrainStub)(object)market;
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && targetMethod.GetGenericArguments()[0] == typeof(IMarketGrain)
            && args?[0] is string symbol)
        {
            return (IMarketGrain)(object)Market(symbol);
        }

        throw new NotSupportedException($"{targetMethod?.Name} is not stubbed");
    }
}
