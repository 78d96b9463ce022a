namespace Control;

/// <summary>
/// A network that sets its parameters from a seed. Every NetGen network has <c>InitializeParameters(int)</c>,
/// but no NetGen interface names it; the sample's networks declare this one on their partial class (the
/// generated half supplies the method), so that <see cref="DdpgAgent{TActor, TCritic}"/> can seed whichever
/// pair it is given without reflection.
/// </summary>
public interface ISeededNetwork
{
    void InitializeParameters(int seed);
}
