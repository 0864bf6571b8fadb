using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Api;

/// <summary>
/// Reads a JSON body strictly: a body over the route's limit is a 413, malformed JSON, numbers for money,
/// duplicate or unknown fields are a 400, and over-precise numbers a 422, each with a stable code. Nothing
/// of the body is echoed beyond a short prefix.
/// </summary>
public static class Body
{
    public static async Task<(T? Value, IResult? Problem)> Read<T>(HttpRequest request)
        where T : class, IValidatable
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the body as application/json."));
        }

        var limit = LimitOf(request.HttpContext);
        var (bytes, length) = await ReadCapped(request, limit);
        if (bytes is null)
        {
            return (null, TooLarge(limit));
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(bytes.AsSpan(0, length), GridJson.Options);
        }
        catch (DecimalRefusedException error)
        {
            return (null, Problems.Problem(StatusCodes.Status422UnprocessableEntity, error.Code, error.Message));
        }
        catch (JsonException error) when (error.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.BadRequest("duplicate_key", $"A key appears twice in the body ({error.Path}); send each field once."));
        }
        catch (JsonException error)
        {
            return (null, Problems.BadRequest("malformed_json", $"The body is not valid: {DecimalStringConverter.Clip(error.Message)}"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        if (value is null)
        {
            return (null, Problems.BadRequest("malformed_json", "The body is empty."));
        }

        return value.Validate() is { } problem ? (null, Problems.BadRequest(problem.Code, problem.Detail)) : (value, null);
    }

    public static IResult TooLarge(long limit) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"The body is larger than this route's limit of {limit} bytes.");

    private static long LimitOf(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<ApiLimits>>().Value;
        return http.GetEndpoint()?.Metadata.GetMetadata<LargeBody>() is null ? limits.MaxBodyBytes : limits.MaxLargeBodyBytes;
    }

    /// <summary>The body in a pooled buffer, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<(byte[]? Bytes, int Length)> ReadCapped(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            return (null, 0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, request.ContentLength + 1 ?? 4096));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own limit (set to the largest route limit) stopped the read.
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0);
        }
    }
}
