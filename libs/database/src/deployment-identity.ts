/**
 * This deployment's id (see DeploymentRepository) and the Redis prefix of its queues: QUEUE_PREFIX
 * when set, else one derived from the id, so two deployments on one Redis never share a queue.
 */
export class DeploymentIdentity {
  readonly queuePrefix: string;

  constructor(
    readonly id: string,
    explicitPrefix?: string,
  ) {
    this.queuePrefix = explicitPrefix ?? `recto_${id}`;
  }
}
