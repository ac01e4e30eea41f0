// For 2-D points: the reward model's score over the plane under the model's latest samples, so the
// rater sees where the pairs so far pull the samples. Drawn as the discriminator's surface is.
import { useMemo } from 'react';
import { SurfaceScatter, type SurfaceSource } from '../training/DecisionSurface';
import { readRewardSurface, useTraining } from '../training/trainingStore';
import { useFeedback } from './feedbackStore';

export function RewardSurface({ nodeId }: { nodeId: string }) {
  const samples = useTraining((s) => s.samples);
  // A fresh fit changes the scores without new samples: ask again when it happens.
  const fitted = useFeedback((s) => s.fittedFor);
  const source = useMemo<SurfaceSource>(
    () => ({
      read: (frame, n, points) => readRewardSurface(nodeId, frame, n, points),
      testId: 'reward-surface',
      heatLabel: "the reward model's score over the plane",
      scoreName: 'reward',
      legendTitle: "The reward model's score of each point: green where it is high (what the pairs preferred), purple where it is low. Blue: the model's latest samples; grey: real data.",
    }),
    [nodeId],
  );
  const batch = samples?.batch;
  if (batch?.kind !== 'points') return null;
  return (
    <figure className="gl-rate__surface" data-fitted={fitted ? 'yes' : 'no'} title={fitted ? undefined : 'The reward model has not been fitted to pairs here yet: its scores are still its starting guess'}>
      <SurfaceScatter key={fitted ?? ''} batch={batch} step={samples!.step} source={source} />
    </figure>
  );
}
