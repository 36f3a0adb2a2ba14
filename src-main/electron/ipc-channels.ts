// IPC channel names shared by main and preload.
export const IPC_INVOKE = 'qc:invoke';
export const IPC_EVENT = 'qc:event';
