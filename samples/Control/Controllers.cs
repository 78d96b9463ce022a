using System;
using NetGen;

namespace Control;

/// <summary>Anything that turns what the puck sees into a thrust in [-1, 1].</summary>
public interface IController
{
    float Act(ReadOnlySpan<float> observation);
}

/// <summary>The learned policy, run deterministically (no exploration noise): one Forward per step.</summary>
public sealed class ActorController(INetwork<float> actor) : IController
{
    public float Act(ReadOnlySpan<float> observation)
    {
        Span<float> action = stackalloc float[1];
        actor.Forward(observation, action);
        return action[0];
    }
}

/// <summary>
/// The yardstick: a proportional-derivative controller, thrust = clamp(kp * distance - kd * velocity),
/// the spring-and-damper a game developer would write and tune by hand for this task.
/// </summary>
public sealed class PdController(float proportionalGain, float derivativeGain) : IController
{
    public float ProportionalGain => proportionalGain;

    public float DerivativeGain => derivativeGain;

    public float Act(ReadOnlySpan<float> observation)
        => Math.Clamp((proportionalGain * observation[0]) - (derivativeGain * observation[1]), -1f, 1f);

    /// <summary>The best gains on a grid, judged by the same evaluation as the learned policy: a fair, well-tuned opponent.</summary>
    public static PdController Tune(Evaluator evaluator)
    {
        PdController best = new(0, 0);
        float bestReturn = float.NegativeInfinity;
        for (float kp = 0.25f; kp <= 12f; kp += 0.25f)
        {
            for (float kd = 0f; kd <= 6f; kd += 0.125f)
            {
                var candidate = new PdController(kp, kd);
                float meanReturn = evaluator.Evaluate(candidate).MeanReturn;
                if (meanReturn > bestReturn)
                {
                    (best, bestReturn) = (candidate, meanReturn);
                }
            }
        }

        return best;
    }
}
