using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// Funding rounds. A settlement appends one round to the market's ledger stream, puts it in every silo's table
/// (so every read counts it from then on) and hands it to the shards, which tell the holders in memory after the answer;
/// each holder counts the round at once and writes it to its own ledger with its next command or the shards'
/// compaction. The ledger, not the market's Redis state, says which rounds exist: a round recorded before a crash
/// is a replay afterwards, never a second round, and one not recorded was not settled.
/// </summary>
public sealed partial class MarketGrain
{
    private string RoundsStream => RoundsStreamOf(Symbol);

    /// <summary>The ledger stream in which a market records its funding rounds, one event each.</summary>
    public static string RoundsStreamOf(string symbol) => $"funding:{symbol}";

    public Task<ImmutableArray<FundingSettlement>> FundingRounds()
    {
        if (_definition is null)
        {
            DeactivateOnIdle();
            return Task.FromResult(ImmutableArray<FundingSettlement>.Empty);
        }

        return Task.FromResult(_rounds.ToImmutableArray());
    }

    public async Task<CommandResult<FundingResult>> Settle(string settlementId, decimal? rate)
    {
        FundingSettlement settlement;
        try
        {
            var market = RequireDefined();
            Require.Id(settlementId, "A settlement id");
            if (Recorded(settlementId) is { } recorded)
            {
                return await Resettle(recorded, rate);
            }

            if (_state.State.AppliedSettlements.TryGetValue(settlementId, out var eager))
            {
                // Settled holder by holder before rounds were recorded in the ledger: every holder has it already.
                return Resettled(eager, rate, reached: 0);
            }

            var mark = _mark ?? throw new DomainException(ErrorCodes.InvalidPrice, $"Market {Symbol} has no mark to settle funding at.");
            var fundingRate = rate ?? FundingCalculator.Rate(market, [.. _state.State.PremiumSamples]);
            Require.That(Math.Abs(fundingRate) <= market.FundingCap, ErrorCodes.InvalidRate, $"Funding rate {fundingRate} is beyond the cap ±{market.FundingCap}.");
            settlement = new FundingSettlement(Symbol, settlementId, fundingRate, mark.Price, _clock.GetUtcNow(), _rounds.Count + 1);
        }
        catch (DomainException error)
        {
            return Errors.Fail<FundingResult>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<FundingResult>(error);
        }

        try
        {
            await _log.Append(RoundsStream, _rounds.Count, [new StoredEvent(settlement, settlement.At)]);
        }
        catch (EventLogConflictException)
        {
            // Another activation recorded a round meanwhile: start again from the ledger (this id may be that round).
            await LoadRounds();
            return Recorded(settlementId) is { } recorded ? await Resettle(recorded, rate) : await Settle(settlementId, rate);
        }
        catch (EventLogUnavailableException error)
        {
            return Errors.Unavailable<FundingResult>(error);
        }

        _rounds.Add(settlement);
        _directory.ObserveRound(settlement);
        await _publisher.PublishRound(settlement);
        _metrics.FundingSettled(Symbol);
        _metrics.MarketFunding(Symbol, settlement.Rate);
        _state.State.LastFundingRate = settlement.Rate;
        _state.State.PremiumSamples.Clear();
        await _state.WriteStateAsync();
        return CommandResult<FundingResult>.Ok(new FundingResult(settlement, await SendFunding(settlement), AlreadyApplied: false));
    }

    private async Task<CommandResult<FundingResult>> Resettle(FundingSettlement recorded, decimal? rate)
    {
        if (rate is { } asked && asked != recorded.Rate)
        {
            return Resettled(recorded, rate, reached: 0);
        }

        // Told again: a holder that counted it already ignores it; one an interrupted run missed counts it now.
        return Resettled(recorded, rate, await SendFunding(recorded));
    }

    private static CommandResult<FundingResult> Resettled(FundingSettlement recorded, decimal? rate, int reached) =>
        rate is { } asked && asked != recorded.Rate
            ? CommandResult<FundingResult>.Fail(new CommandError(ErrorCodes.DuplicateConflict, "conflict", $"Settlement {recorded.SettlementId} was applied at rate {recorded.Rate}, not {asked}."))
            : CommandResult<FundingResult>.Ok(new FundingResult(recorded, reached, AlreadyApplied: true), replayed: true);

    private FundingSettlement? Recorded(string settlementId) => _rounds.Find(r => r.SettlementId == settlementId);

    private async Task LoadRounds()
    {
        _rounds.Clear();
        foreach (var stored in await _log.Read(RoundsStream))
        {
            _rounds.Add((FundingSettlement)stored.Event);
        }

        _directory.ObserveRounds(Symbol, [.. _rounds]);
    }

    /// <summary>Hands the round to every shard, which tells its holders in memory; returns how many holders it applies to.</summary>
    private async Task<int> SendFunding(FundingSettlement settlement)
    {
        var reached = await Task.WhenAll(Enumerable.Range(0, MarketShards.Count)
            .Select(k => GrainFactory.Reference<IMarketShardGrain>(MarketShards.Key(Symbol, k)).SettleFunding(settlement)));
        return reached.Sum();
    }
}
