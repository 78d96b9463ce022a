using System;

namespace Control;

/// <summary>How a controller did over the evaluation episodes.</summary>
/// <param name="MeanReturn">The mean over episodes of the summed rewards: 0 is perfect, more negative is worse.</param>
/// <param name="MeanFinalDistance">The mean distance to the target at the end of an episode, in m.</param>
public readonly record struct Evaluation(float MeanReturn, float MeanFinalDistance);

/// <summary>One episode, step by step, for the plot.</summary>
public sealed record Trajectory(float[] Time, float[] Position, float[] Velocity, float[] Action, float Target);

/// <summary>
/// Runs a controller, without exploration, from the same fixed set of start states every time, so that
/// two evaluations (of two points of training, two seeds, or the learned policy and the PD controller)
/// are comparable. The starts come from their own seed, not the run's. Allocation-free.
/// </summary>
public sealed class Evaluator
{
    private const int StartsSeed = 20240601;

    private readonly float[] _positions, _velocities, _targets;
    private readonly PointMass _body = new();
    private readonly float[] _observation = new float[PointMass.ObservationSize];

    public Evaluator(int episodes)
    {
        var random = new Random(StartsSeed);
        _positions = new float[episodes];
        _velocities = new float[episodes];
        _targets = new float[episodes];
        for (int e = 0; e < episodes; e++)
        {
            _body.Reset(random);
            (_positions[e], _velocities[e], _targets[e]) = (_body.Position, _body.Velocity, _body.Target);
        }
    }

    public int Episodes => _positions.Length;

    public Evaluation Evaluate(IController controller)
    {
        double totalReturn = 0, totalDistance = 0;
        for (int e = 0; e < Episodes; e++)
        {
            _body.Reset(_positions[e], _velocities[e], _targets[e]);
            for (int step = 0; step < PointMass.EpisodeSteps; step++)
            {
                _body.Observe(_observation);
                totalReturn += _body.Step(controller.Act(_observation));
            }

            totalDistance += Math.Abs(_body.Target - _body.Position);
        }

        return new Evaluation((float)(totalReturn / Episodes), (float)(totalDistance / Episodes));
    }

    /// <summary>Records evaluation episode <paramref name="episode"/> step by step (allocates: for the report, not the loop).</summary>
    public Trajectory Record(IController controller, int episode)
    {
        int steps = PointMass.EpisodeSteps + 1;
        var trajectory = new Trajectory(new float[steps], new float[steps], new float[steps], new float[steps], _targets[episode]);
        _body.Reset(_positions[episode], _velocities[episode], _targets[episode]);
        for (int step = 0; step < steps; step++)
        {
            _body.Observe(_observation);
            float action = step < PointMass.EpisodeSteps ? Math.Clamp(controller.Act(_observation), -1f, 1f) : float.NaN;
            trajectory.Time[step] = step * PointMass.TimeStep;
            trajectory.Position[step] = _body.Position;
            trajectory.Velocity[step] = _body.Velocity;
            trajectory.Action[step] = action;
            if (step < PointMass.EpisodeSteps)
            {
                _body.Step(action);
            }
        }

        return trajectory;
    }
}
