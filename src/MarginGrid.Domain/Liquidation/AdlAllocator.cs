using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Liquidation;

/// <summary>Spreads a quantity to deleverage over ranked counterparties, highest rank first.</summary>
public static class AdlAllocator
{
    /// <returns>The allocations, and the quantity no counterparty could take.</returns>
    public static (IReadOnlyList<AdlAllocation> Allocations, decimal Unallocated) Allocate(decimal quantity, IReadOnlyList<AdlCandidate> ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        Require.NotNegative(quantity, "Quantity to deleverage", ErrorCodes.InvalidQuantity);
        var allocations = new List<AdlAllocation>();
        var remaining = quantity;
        foreach (var candidate in ranked)
        {
            if (remaining == 0m)
            {
                break;
            }

            Require.NotNegative(candidate.Quantity, $"Quantity of candidate {candidate.AccountId}", ErrorCodes.InvalidQuantity);
            var take = Math.Min(remaining, candidate.Quantity);
            if (take > 0m)
            {
                allocations.Add(new AdlAllocation(candidate.AccountId, take));
                remaining -= take;
            }
        }

        return (allocations, remaining);
    }
}
