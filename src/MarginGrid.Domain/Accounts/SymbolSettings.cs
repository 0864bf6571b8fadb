using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

/// <summary>The settings an account chose for one market.</summary>
public sealed record SymbolSettings(string Symbol, PositionSettings Settings);
