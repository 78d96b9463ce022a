using System;

namespace Control;

/// <summary>
/// The agent's memory: the last <see cref="Capacity"/> transitions (observation, action, reward, next
/// observation), overwritten oldest first, from which training draws random minibatches. Learning from
/// random old moments rather than from the last few frames breaks the correlation between consecutive
/// steps, which otherwise makes the critic chase its own tail. Flat arrays, sample-major, allocated once.
/// </summary>
public sealed class ReplayBuffer
{
    private const int ObservationSize = PointMass.ObservationSize;

    private readonly float[] _observations;
    private readonly float[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _nextObservations;
    private int _next;

    public ReplayBuffer(int capacity)
    {
        Capacity = capacity;
        _observations = new float[capacity * ObservationSize];
        _actions = new float[capacity];
        _rewards = new float[capacity];
        _nextObservations = new float[capacity * ObservationSize];
    }

    public int Capacity { get; }

    /// <summary>How many transitions are stored (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> observation, float action, float reward, ReadOnlySpan<float> nextObservation)
    {
        observation.CopyTo(_observations.AsSpan(_next * ObservationSize, ObservationSize));
        nextObservation.CopyTo(_nextObservations.AsSpan(_next * ObservationSize, ObservationSize));
        _actions[_next] = action;
        _rewards[_next] = reward;
        _next = (_next + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>Fills a minibatch with transitions drawn uniformly (with replacement); its size is <c>rewards.Length</c>.</summary>
    public void Sample(Random random, Span<float> observations, Span<float> actions, Span<float> rewards, Span<float> nextObservations)
    {
        for (int b = 0; b < rewards.Length; b++)
        {
            int i = random.Next(Count);
            _observations.AsSpan(i * ObservationSize, ObservationSize).CopyTo(observations.Slice(b * ObservationSize, ObservationSize));
            _nextObservations.AsSpan(i * ObservationSize, ObservationSize).CopyTo(nextObservations.Slice(b * ObservationSize, ObservationSize));
            actions[b] = _actions[i];
            rewards[b] = _rewards[i];
        }
    }
}
