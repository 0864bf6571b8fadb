using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Grains.Accounts;

/// <summary>
/// Reads that value a state which is not stored: a what-if (hypothetical fills, marks and shocks) and the
/// largest order the pre-trade check accepts. Both read the account and write nothing: no event, no version,
/// no ledger entry, no shard membership, no evaluation, level or escalation. Only the account's cache of
/// market definitions and newest marks is filled, as any read does.
/// </summary>
public sealed partial class AccountGrain : IAccountGrain
{
    private const int MaxWhatIfFills = 64;
    private const int MaxWhatIfMarks = 256;

    async Task<CommandResult<AccountMarginView>> IAccountGrain.WhatIf(WhatIfRequest request)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            RequireKnownAccount();
            var fills = request.Fills.IsDefault ? [] : request.Fills;
            var marks = request.Marks.IsDefault ? [] : request.Marks;
            var shocks = request.Shocks.IsDefault ? [] : request.Shocks;
            Require.That(fills.Length <= MaxWhatIfFills, ErrorCodes.InvalidArgument, $"A what-if has at most {MaxWhatIfFills} fills (had {fills.Length}).");
            Require.That(marks.Length + shocks.Length <= MaxWhatIfMarks, ErrorCodes.InvalidArgument,
                $"A what-if has at most {MaxWhatIfMarks} marks and shocks (had {marks.Length + shocks.Length}).");
            var trades = fills.Select(TradeOf).ToList();
            var symbols = fills.Select(f => f.Symbol).Concat(marks.Select(m => m?.Symbol)).Concat(shocks.Select(s => s?.Symbol)).ToList();

            await RefreshMarks();
            foreach (var symbol in symbols.Distinct(StringComparer.Ordinal))
            {
                Require.That(Identifiers.IsSymbol(symbol), ErrorCodes.InvalidArgument, "A symbol is 1 to 32 letters, digits, '-' or '_'.");
                await EnsureMarket(symbol!);
                if (await _directory.Mark(symbol!) is { } newest)
                {
                    _markets.SetMark(newest);
                }
            }

            // A market with no mark yet is valued at its first hypothetical trade price, as ApplyFill does for a real one.
            var standIns = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var fill in fills.Where(f => _markets.MarkOf(f.Symbol) is null))
            {
                standIns.TryAdd(fill.Symbol, fill.Price);
            }

            // A mark the request replaces is the caller's; every other mark it values must be fresh.
            RequireFreshMarks(_account.Positions.Keys.Concat(fills.Select(f => f!.Symbol)).Except(marks.Select(m => m!.Symbol), StringComparer.Ordinal));
            var hypothetical = _account.WhatIf(trades, _markets, _thresholds);
            var overlay = new MarkOverlay(_markets, standIns);
            foreach (var mark in marks)
            {
                overlay.Override(mark!.Symbol, mark.Price);
            }

            foreach (var shock in shocks)
            {
                overlay.Shock(shock!.Symbol, shock.Shock);
            }

            // The live version: the state it starts from. A replaced mark has no sequence of the market's.
            var view = AccountViews.Margin(hypothetical.Report(overlay, _thresholds), _account.Version, _clock.GetUtcNow(),
                ImmutableDictionary<string, int>.Empty, s => overlay.IsOverridden(s) ? (0, false) : MarkOf(s));
            return CommandResult<AccountMarginView>.Ok(view with { Hypothetical = true });
        }
        catch (DomainException error)
        {
            return Errors.Fail<AccountMarginView>(error);
        }
        catch (OverflowException)
        {
            return Errors.Fail<AccountMarginView>(new DomainException(ErrorCodes.InvalidArgument, "A figure of the what-if is out of range."));
        }
    }

    async Task<CommandResult<MaxOrderView>> IAccountGrain.MaxOrder(string symbol, OrderSide side, decimal price)
    {
        try
        {
            RequireKnownAccount();
            var parsed = ContractEnums.ToDomain(side);
            Require.That(Identifiers.IsSymbol(symbol), ErrorCodes.InvalidArgument, "A symbol is 1 to 32 letters, digits, '-' or '_'.");
            await EnsureMarket(symbol);
            await RefreshMarks();
            RequireFreshMarks(_account.Positions.Keys.Append(symbol));
            var result = _account.MaxOrder(symbol, parsed, price, _markets, _thresholds);
            return CommandResult<MaxOrderView>.Ok(new MaxOrderView(result.Quantity, result.RequiredInitialMargin));
        }
        catch (DomainException error)
        {
            return Errors.Fail<MaxOrderView>(error);
        }
        catch (OverflowException)
        {
            return Errors.Fail<MaxOrderView>(new DomainException(ErrorCodes.InvalidArgument, "The price is out of range."));
        }
    }

    /// <summary>An account with no history has nothing to value; its activation is let go so the read leaves nothing behind.</summary>
    private void RequireKnownAccount()
    {
        if (_account.Version == 0)
        {
            DeactivateOnIdle();
            throw new DomainException(ErrorCodes.UnknownAccount, $"Account {Id} has no history.");
        }
    }

    private static HypotheticalTrade TradeOf(HypotheticalFill? fill)
    {
        Require.That(fill is not null, ErrorCodes.InvalidArgument, "A what-if fill must not be null.");
        return new HypotheticalTrade(fill!.Symbol, ContractEnums.ToDomain(fill.Side), fill.Quantity, fill.Price, fill.Fee,
            fill.MarginMode is { } mode ? ContractEnums.ToDomain(mode) : null, fill.Leverage);
    }
}
