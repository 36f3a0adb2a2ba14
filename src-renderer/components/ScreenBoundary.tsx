// A screen that throws while rendering shows the error in its place; the top bar (kill switch, accounts) and the menu
// keep working. Without it React unmounts the whole window on any render error.
import { Component, type ReactNode } from 'react';

interface Props {
  name: string;
  children: ReactNode;
}

export class ScreenBoundary extends Component<Props, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error(`screen ${this.props.name} failed:`, error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="panel screen-failed" role="alert" aria-label="Screen failed">
        <h2>This screen failed</h2>
        <p>{this.props.name}: {error.message}</p>
        <p className="dim">Orders, the kill switch and the other screens are not affected.</p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>Reload screen</button>
      </section>
    );
  }
}
