/** Rating as text ("4.8 out of 5") with a decorative star. */
export function Rating({ value }: { value: number }) {
  const rounded = Math.round(value * 10) / 10;
  return (
    <span className="rating">
      <span aria-hidden="true" className="rating__star">★</span>
      <span className="sr-only">Rated </span>
      {rounded.toFixed(1)}
      <span className="sr-only"> out of 5</span>
    </span>
  );
}
