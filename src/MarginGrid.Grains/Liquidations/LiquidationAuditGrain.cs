using System.Collections.Immutable;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Infrastructure;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// A consumer of the liquidations stream (implicit subscription): counts finished liquidations by outcome
/// and step and sums the money they moved, once per liquidation id.
/// </summary>
[ImplicitStreamSubscription(StreamNames.Liquidations)]
public sealed class LiquidationAuditGrain([PersistentState("audit", StreamNames.Storage)] IPersistentState<AuditState> state)
    : Grain, ILiquidationAuditGrain, IStreamSubscriptionObserver
{
    public Task<LiquidationSummary> Summary() => Task.FromResult(new LiquidationSummary(
        state.State.ByStatus.ToImmutableDictionary(), state.State.ByStep.ToImmutableDictionary(),
        state.State.Fees, state.State.FundPayouts, state.State.Deficits, state.State.Seen.Count));

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<LiquidationRecord>().ResumeAsync((record, _) => Count(record));
    }

    private Task Count(LiquidationRecord record)
    {
        if (!state.State.Seen.Add(record.LiquidationId))
        {
            return Task.CompletedTask;
        }

        state.State.ByStatus[record.Status] = state.State.ByStatus.GetValueOrDefault(record.Status) + 1;
        foreach (var step in record.Steps)
        {
            state.State.ByStep[step.Kind] = state.State.ByStep.GetValueOrDefault(step.Kind) + 1;
        }

        state.State.Fees += record.Fee;
        state.State.FundPayouts += record.FundPayout;
        state.State.Deficits += record.Deficit;
        return state.WriteStateAsync();
    }
}
