/** Grey placeholder blocks shown while content loads; hidden from assistive tech (a status says "Loading"). */
export function Skeleton({ width = '100%', height = '1rem' }: { width?: string; height?: string }) {
  return <span className="skeleton" style={{ width, height }} aria-hidden="true" />;
}
