using MarginGrid.Abstractions.Common;
using MarginGrid.Silo.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>A refusal of kind <c>unavailable</c> (<c>mark_stale</c>, <c>ledger_unavailable</c>) is a retryable 503 with <c>Retry-After</c> and its code.</summary>
public sealed class UnavailableProblemTests
{
    [Fact]
    public async Task Mark_stale_answers_503_with_retry_after_and_its_code()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();

        var result = Problems.From(http, CommandResult<int>.Fail(new CommandError("mark_stale", "unavailable", "Market X has no fresh mark.")));
        await result.ExecuteAsync(http);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        Assert.Contains("\"code\":\"mark_stale\"", await new StreamReader(http.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_the_runtime_cancelled_is_a_retryable_503_and_one_the_client_abandoned_is_left_alone()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new UnavailableExceptionHandler();

        // An activation cancelled while its silo left, or a message expired before placement found a live silo.
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        Assert.True(await handler.TryHandleAsync(http, new TaskCanceledException("A task was canceled."), CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        Assert.Contains("\"code\":\"grid_unavailable\"", await new StreamReader(http.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);

        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var gone = new DefaultHttpContext { RequestServices = services, RequestAborted = aborted.Token };
        Assert.False(await handler.TryHandleAsync(gone, new OperationCanceledException(aborted.Token), CancellationToken.None));
    }
}
