namespace Picomon.Tests.Http;

public class Utf8OutputTests
{
    [Fact]
    public async Task Text_longer_than_its_buffer_arrives_whole_with_pairs_split_across_pieces_kept()
    {
        // A surrogate pair straddling the 4,096-character piece boundary, then far more than the buffer holds.
        var text = new string('a', 4095) + "😀" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"é{i}\n"));

        var rendered = await HttpTestText.RenderAsync(async output =>
        {
            output.Append(text).Append(' ').Append(1.5).Append(' ').Append(-42L);
            await output.FlushAsync(CancellationToken.None);
        });

        Assert.Equal(text + " 1.5 -42", rendered);
    }
}
