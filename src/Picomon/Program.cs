using Picomon.Cli;

var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
try
{
    return await App.RunAsync(args, stdout, Console.Error);
}
finally
{
    await stdout.FlushAsync();
}
