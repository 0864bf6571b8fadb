using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Silo.Api;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// The account contract's enums and the words of the HTTP API and the CLI: one word per value, read back
/// exactly, and the API's JSON writes the same word, so typing the contract left the wire unchanged.
/// </summary>
public sealed class ContractWordsTests
{
    [Fact]
    public void Every_side_mode_and_level_has_one_word_that_reads_back_as_itself()
    {
        foreach (var side in Enum.GetValues<OrderSide>())
        {
            Assert.True(ContractWords.TryParse(ContractWords.Of(side), out OrderSide read));
            Assert.Equal(side, read);
        }

        foreach (var mode in Enum.GetValues<PositionMarginMode>())
        {
            Assert.True(ContractWords.TryParse(ContractWords.Of(mode), out PositionMarginMode read));
            Assert.Equal(mode, read);
        }

        foreach (var level in Enum.GetValues<RiskLevel>())
        {
            Assert.True(ContractWords.TryParse(ContractWords.Of(level), out RiskLevel read));
            Assert.Equal(level, read);
        }

        Assert.Equal(["buy", "sell"], Enum.GetValues<OrderSide>().Select(ContractWords.Of));
        Assert.Equal(["cross", "isolated"], Enum.GetValues<PositionMarginMode>().Select(ContractWords.Of));
        Assert.Equal(["healthy", "warning", "danger", "breach"], Enum.GetValues<RiskLevel>().Select(ContractWords.Of));
    }

    [Theory]
    [InlineData("Buy")]
    [InlineData(" buy")]
    [InlineData("long")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData(null)]
    public void A_side_is_read_only_from_its_exact_word(string? word) => Assert.False(ContractWords.TryParse(word, out OrderSide _));

    [Fact]
    public void The_api_writes_every_enum_as_its_contract_word()
    {
        foreach (var side in Enum.GetValues<OrderSide>())
        {
            Assert.Equal($"\"{ContractWords.Of(side)}\"", JsonSerializer.Serialize(side, GridJson.Options));
        }

        foreach (var mode in Enum.GetValues<PositionMarginMode>())
        {
            Assert.Equal($"\"{ContractWords.Of(mode)}\"", JsonSerializer.Serialize(mode, GridJson.Options));
        }

        foreach (var level in Enum.GetValues<RiskLevel>())
        {
            Assert.Equal($"\"{ContractWords.Of(level)}\"", JsonSerializer.Serialize(level, GridJson.Options));
        }
    }
}
