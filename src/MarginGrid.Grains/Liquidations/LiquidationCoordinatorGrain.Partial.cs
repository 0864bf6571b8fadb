using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The partial step.</summary>
public sealed partial class LiquidationCoordinatorGrain
{
    private async Task<PartialOutcome> RunPartial(string id, LiquidationWork work, IAccountLiquidation account, BreachReport breach)
    {
        var scope = breach.Scope;
        if (work.Partial is null)
        {
            var step = await account.PlanPartial(scope);
            TakeNewer(work, step.Scope);
            var judged = await _judge.AtNewestMarks(step.Scope);
            if (judged.Stale)
            {
                return PartialOutcome.Waiting;
            }

            if (!judged.InBreach)
            {
                return PartialOutcome.NotInBreach;
            }

            if (step.Plan is not { } plan)
            {
                return PartialOutcome.StillInBreach;
            }

            var size = step.Scope.Positions.Single(p => p.Symbol == plan.Symbol).Size;
            work.Partial = new PlannedTrade { Kind = "partial", Symbol = plan.Symbol, Quantity = plan.Quantity, Side = Math.Sign(size) };
            await _state.WriteStateAsync();
        }

        var trade = work.Partial;
        if (!trade.Done && (await Judged(work, account, breach)).Stale)
        {
            return PartialOutcome.Waiting;
        }

        if (!trade.Done)
        {
            await Send(id, work, trade, account, scope, step: "partial");
        }

        return (await Judged(work, account, breach)).InBreach ? PartialOutcome.StillInBreach : PartialOutcome.Recovered;
    }
}
