import type { Agenda, Job } from 'agenda';

/** The parts of Agenda's (6.2, pinned) job processor this module reaches into. */
interface JobProcessorInternals {
  isRunning: boolean;
  jobQueue: { length: number };
  isJobQueueFilling: Map<string, boolean>;
  jobQueueFilling(name: string): Promise<void>;
  jobProcessing(): Promise<void>;
}

function jobProcessorOf(agenda: Agenda): JobProcessorInternals | null {
  const processor = (agenda as unknown as { jobProcessor?: Partial<JobProcessorInternals> }).jobProcessor;
  const usable = processor && typeof processor.jobQueueFilling === 'function' && typeof processor.jobProcessing === 'function' && processor.isJobQueueFilling instanceof Map;
  return usable ? (processor as JobProcessorInternals) : null;
}

/**
 * Agenda locks due jobs only once per poll (processEvery), at most `lockLimit` of them: a burst
 * of 1,000 due jobs would start at lockLimit per poll however fast each run is. So when a job of
 * `jobName` finishes and fewer than `concurrency` locked jobs wait in the worker's queue, the
 * queue is filled again at once. Returns a function that stops doing so.
 * Without the expected internals (another Agenda version) it does nothing: Agenda's own poll still works.
 */
export function refillWhenJobsFinish(agenda: Agenda, jobName: string, concurrency: number): () => void {
  const refill = () => {
    const processor = jobProcessorOf(agenda);
    if (!processor?.isRunning || processor.isJobQueueFilling.has(jobName) || processor.jobQueue.length >= concurrency) return;
    void processor
      .jobQueueFilling(jobName)
      .then(() => processor.jobProcessing())
      .catch((error: unknown) => agenda.emit('error', error));
  };
  // Agenda emits `complete` before it drops the job from its own running/locked lists.
  // (Agenda also emits a `complete` without a job when an `every()` registration settles.)
  const onComplete = (job: Job | undefined) => {
    if (job?.attrs?.name === jobName) setImmediate(refill);
  };
  agenda.on('complete', onComplete);
  return () => void agenda.off('complete', onComplete);
}
