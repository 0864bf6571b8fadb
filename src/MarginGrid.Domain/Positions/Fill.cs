using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Positions;

/// <summary>
/// A trade from the matching engine: a fact, always applied. <see cref="Fee"/> is in the settlement asset,
/// debited when positive and credited when negative (a maker rebate).
/// </summary>
public sealed record Fill(string FillId, string Symbol, Side Side, decimal Quantity, decimal Price, decimal Fee);
