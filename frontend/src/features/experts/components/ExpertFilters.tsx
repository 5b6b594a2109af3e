import type { Category } from '@/lib/types';

interface Props {
  search: string;
  onSearchChange: (value: string) => void;
  category: string;
  onCategoryChange: (value: string) => void;
  categories: Category[] | undefined;
}

export function ExpertFilters({ search, onSearchChange, category, onCategoryChange, categories }: Props) {
  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label className="field__label" htmlFor="expert-search">
          Search by name
        </label>
        <input
          id="expert-search"
          className="input"
          type="search"
          value={search}
          placeholder="e.g. Priya"
          autoComplete="off"
          onChange={(e) => onSearchChange(e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="expert-category">
          Category
        </label>
        <select
          id="expert-category"
          className="input"
          value={category}
          onChange={(e) => onCategoryChange(e.target.value)}
        >
          <option value="">All categories</option>
          {categories?.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.count})
            </option>
          ))}
          {/* Keep a category from the URL selectable even before (or without) the list. */}
          {category && !categories?.some((c) => c.name === category) && <option value={category}>{category}</option>}
        </select>
      </div>
    </form>
  );
}
