using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The partial step.</summary>
public sealed partial class LiquidationCoordinatorGrain
{
    /// <summary>The partial step; true when it restored the scope.</summary>
    private async Task<bool> RunPartial(string id, LiquidationWork work, IAccountGrain account, BreachReport breach)
    {
        var scope = breach.Scope;
        if (work.Partial is null)
        {
            var plan = await account.PlanPartial(scope);
            if (plan is null)
            {
                return false;
            }

            var size = (await ScopeNow(account, breach)).Positions.Single(p => p.Symbol == plan.Symbol).Size;
            work.Partial = new PlannedTrade { Kind = "partial", Symbol = plan.Symbol, Quantity = plan.Quantity, Side = Math.Sign(size) };
            await _state.WriteStateAsync();
        }

        var trade = work.Partial;
        if (!trade.Done)
        {
            await Send(id, work, trade, account, scope, step: "partial");
        }

        return !(await ScopeNow(account, breach)).InBreach;
    }
}
