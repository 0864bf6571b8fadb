using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Positions;

/// <summary>Open, increase, reduce, close and flip (margin-rules.md section 3).</summary>
public static class FillMath
{
    public static FillOutcome Apply(MarketDefinition market, decimal size, decimal entryPrice, Side side, decimal quantity, decimal price)
    {
        var sign = side.Sign();
        var currentSign = Math.Sign(size);
        var currentQuantity = Math.Abs(size);

        if (currentSign == 0 || currentSign == sign)
        {
            var entry = ContractMath.AverageEntry(market, currentQuantity, entryPrice, quantity, price);
            return new FillOutcome(size + (sign * quantity), entry, 0m, quantity, 0m);
        }

        var closed = Math.Min(currentQuantity, quantity);
        var realized = ContractMath.Pnl(market, currentSign * closed, entryPrice, price);
        var opened = quantity - closed;
        var newSize = size + (sign * quantity);
        var newEntry = newSize == 0m ? 0m : opened > 0m ? price : entryPrice;
        return new FillOutcome(newSize, newEntry, closed, opened, realized);
    }
}
