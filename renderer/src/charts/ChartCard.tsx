import type { ReactNode } from 'react';
import './charts.css';

/** A titled panel holding one chart or table. */
export function ChartCard({
  title,
  subtitle,
  actions,
  children,
  className,
  testId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`dt-card ${className ?? ''}`} data-testid={testId}>
      <header className="dt-card__head">
        <h3 className="dt-card__title">{title}</h3>
        {subtitle ? <span className="dt-card__sub">{subtitle}</span> : null}
        {actions ? <div className="dt-card__actions">{actions}</div> : null}
      </header>
      <div className="dt-card__body">{children}</div>
    </section>
  );
}

/** What to show instead of an empty chart: what is missing and how to get it. */
export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="dt-empty" data-testid={testId}>
      <div className="dt-empty__title">{title}</div>
      {children ? <div className="dt-empty__hint">{children}</div> : null}
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div className="dt-error" role="alert">
      <span>{error}</span>
      {onRetry ? (
        <button type="button" className="dt-btn dt-btn--small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
