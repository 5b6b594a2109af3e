import { useAllExperts } from '../api/adminApi';
import { ExpertEditor } from './ExpertEditor';
import { ExpertPicker, useExpertParam } from './ExpertPicker';

/** Create an expert, or pick one to edit (issue 13). */
export function AdminExperts() {
  const [expertId] = useExpertParam();
  const experts = useAllExperts();
  const expert = experts.data?.find((x) => x.id === expertId) ?? null;
  const categories = [...new Set(experts.data?.map((x) => x.category))].sort();

  return (
    <section className="stack" aria-labelledby="admin-experts-title">
      <h2 id="admin-experts-title">Experts</h2>
      <ExpertPicker id="experts-edit" none="New expert" />
      {expertId && !expert ? null : <ExpertEditor key={expert?.id ?? 'new'} expert={expert} categories={categories} />}
    </section>
  );
}
